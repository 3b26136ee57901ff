package directory

import (
	"fmt"
	"strings"

	"github.com/go-ldap/ldap/v3"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// A person's Temporary Access Pass is the child entry cn=tap (siPass);
// only its salted hash is kept.

var passAttrs = []string{"siHash", "siIssued", "siExpires", "siOneTime", "siUsed", "siUsedAt"}

func passDN(personDN string) string { return "cn=tap," + personDN }

func boolString(b bool) string {
	if b {
		return "TRUE"
	}
	return "FALSE"
}

func passOf(e *ldap.Entry) info.Pass {
	return info.Pass{
		Hash:    e.GetAttributeValue("siHash"),
		Issued:  parseGeneralized(e.GetAttributeValue("siIssued")),
		Expires: parseGeneralized(e.GetAttributeValue("siExpires")),
		OneTime: strings.EqualFold(e.GetAttributeValue("siOneTime"), "TRUE"),
		Used:    strings.EqualFold(e.GetAttributeValue("siUsed"), "TRUE"),
		UsedAt:  parseGeneralized(e.GetAttributeValue("siUsedAt")),
	}
}

// passValues are p's attributes as written.
func passValues(p info.Pass) map[string]string {
	v := map[string]string{
		"siHash": p.Hash, "siIssued": generalized(p.Issued), "siExpires": generalized(p.Expires),
		"siOneTime": boolString(p.OneTime), "siUsed": boolString(p.Used),
	}
	if !p.UsedAt.IsZero() {
		v["siUsedAt"] = generalized(p.UsedAt)
	}
	return v
}

// SetPass gives the person p in place of the pass whose hash is replaces
// ("" for none), as one compare-and-swap: a new pass is an add, which
// fails if an entry is there; a replacement is one modify that deletes the
// old siHash value (caseExactMatch) and adds the new one, which fails if
// the old value is gone. Either failure is ErrPassChanged: another
// station issued or revoked a pass meanwhile.
func (d *Directory) SetPass(account, replaces string, p info.Pass) error {
	if p.Hash == "" {
		return fmt.Errorf("set pass: no hash given")
	}
	personDN, err := d.personDN(account)
	if err != nil {
		return err
	}
	dn := passDN(personDN)
	if replaces == "" {
		add := ldap.NewAddRequest(dn, nil)
		add.Attribute("objectClass", []string{"siPass"})
		add.Attribute("cn", []string{"tap"})
		for k, v := range passValues(p) {
			add.Attribute(k, []string{v})
		}
		err = d.do(func(c *ldap.Conn) error { return c.Add(add) })
		if ldap.IsErrorWithCode(err, ldap.LDAPResultEntryAlreadyExists) {
			return fmt.Errorf("set pass: %w", info.ErrPassChanged)
		}
	} else {
		mod := ldap.NewModifyRequest(dn, nil)
		swap(mod, "siHash", replaces, p.Hash)
		nv := passValues(p)
		for _, k := range passAttrs {
			if k == "siHash" {
				continue
			}
			if v, ok := nv[k]; ok {
				mod.Replace(k, []string{v})
			} else {
				mod.Replace(k, nil)
			}
		}
		err = d.do(func(c *ldap.Conn) error { return c.Modify(mod) })
		if ldap.IsErrorAnyOf(err, ldap.LDAPResultNoSuchAttribute, ldap.LDAPResultNoSuchObject) {
			return fmt.Errorf("set pass: %w", info.ErrPassChanged)
		}
	}
	if err != nil {
		return fmt.Errorf("set pass: %w", err)
	}
	return nil
}

// readPass reads the person's pass entry; ErrNoPass if there is none.
func (d *Directory) readPass(personDN string) (info.Pass, error) {
	var res *ldap.SearchResult
	err := d.do(func(c *ldap.Conn) error {
		var err error
		res, err = c.Search(ldap.NewSearchRequest(passDN(personDN), ldap.ScopeBaseObject, ldap.NeverDerefAliases, 1, 0, false, "(objectClass=siPass)", passAttrs, nil))
		return err
	})
	if ldap.IsErrorWithCode(err, ldap.LDAPResultNoSuchObject) || (err == nil && len(res.Entries) == 0) {
		return info.Pass{}, info.ErrNoPass
	}
	if err != nil {
		return info.Pass{}, fmt.Errorf("read pass: %w", err)
	}
	return passOf(res.Entries[0]), nil
}

// GetPass returns the person's pass or ErrNoPass.
func (d *Directory) GetPass(account string) (info.Pass, error) {
	personDN, err := d.personDN(account)
	if err != nil {
		return info.Pass{}, err
	}
	return d.readPass(personDN)
}

// UpdatePass changes the person's pass as one compare-and-swap modify
// (see UpdateMethod): a one-time pass used at two stations at once is
// used by one of them only.
func (d *Directory) UpdatePass(account string, change func(*info.Pass) error) error {
	personDN, err := d.personDN(account)
	if err != nil {
		return err
	}
	for attempt := 0; ; attempt++ {
		old, err := d.readPass(personDN)
		if err != nil {
			return err
		}
		p := old
		if err := change(&p); err != nil {
			return err
		}
		mod := ldap.NewModifyRequest(passDN(personDN), nil)
		ov, nv := passValues(old), passValues(p)
		for _, k := range passAttrs {
			swap(mod, k, ov[k], nv[k])
		}
		if len(mod.Changes) == 0 {
			return nil
		}
		err = d.do(func(c *ldap.Conn) error { return c.Modify(mod) })
		if err == nil {
			return nil
		}
		if attempt < 3 && ldap.IsErrorAnyOf(err, ldap.LDAPResultNoSuchAttribute, ldap.LDAPResultAttributeOrValueExists, ldap.LDAPResultConstraintViolation) {
			continue
		}
		return fmt.Errorf("update pass: %w", err)
	}
}

// DeletePass removes the person's pass; ErrNoPass if there is none.
func (d *Directory) DeletePass(account string) error {
	personDN, err := d.personDN(account)
	if err != nil {
		return err
	}
	err = d.do(func(c *ldap.Conn) error { return c.Del(ldap.NewDelRequest(passDN(personDN), nil)) })
	if ldap.IsErrorWithCode(err, ldap.LDAPResultNoSuchObject) {
		return info.ErrNoPass
	}
	if err != nil {
		return fmt.Errorf("delete pass: %w", err)
	}
	return nil
}
