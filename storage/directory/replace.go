package directory

import (
	"crypto/rand"
	"fmt"
	"strings"
	"time"

	"github.com/go-ldap/ldap/v3"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/secret"
)

// A set of methods replaced as one (ReplaceMethods: recovery codes) can't
// be written in one LDAP operation: each method is an entry, and LDAP
// transactions (RFC 5805) crash Debian's slapd 2.5 (see
// assets/directory/README.md). So the set is switched by one entry
// instead: the person's set entry for the kind, siMethodId "set.<kind>",
// siKind "set", whose description names the current set. Each member of
// a set carries "set <name>" in its description. Methods shows a member
// only if its set is the current one, and a method of the kind with no
// set only while the kind has no set entry; it never shows set entries.
// A new set is written hidden, then made current by one modify of the set
// entry, then the old set is deleted: a crash at any point leaves the old
// set or the new one showing, whole, and the hidden rest is deleted by the
// kind's next replacement. The modify deletes the old name and adds the
// new one, so of two stations replacing at once exactly one set wins.
const (
	setKind   = "set"
	setPrefix = "set."
	memberTag = "set "
	// staleSet is how old a member of a set that isn't current must be
	// before a replacement deletes it: younger ones may belong to another
	// station's replacement still being written.
	staleSet = time.Hour
)

// replaceCrash is called between the steps of ReplaceMethods; tests make
// it stop there as a crash would.
var replaceCrash = func(string) {}

// liveEntries drops from a person's method entries the set entries and
// the members of sets that are not current (see ReplaceMethods).
func liveEntries(es []*ldap.Entry) []*ldap.Entry {
	current := map[string]string{} // kind: current set's name
	for _, e := range es {
		if e.GetAttributeValue("siKind") == setKind {
			current[strings.TrimPrefix(e.GetAttributeValue("siMethodId"), setPrefix)] = e.GetAttributeValue("description")
		}
	}
	if len(current) == 0 && !anyMember(es) {
		return es
	}
	out := make([]*ldap.Entry, 0, len(es))
	for _, e := range es {
		if isLive(e, current) {
			out = append(out, e)
		}
	}
	return out
}

func anyMember(es []*ldap.Entry) bool {
	for _, e := range es {
		if strings.HasPrefix(e.GetAttributeValue("description"), memberTag) {
			return true
		}
	}
	return false
}

// isLive reports whether Methods shows e, given each kind's current set.
func isLive(e *ldap.Entry, current map[string]string) bool {
	kind := e.GetAttributeValue("siKind")
	if kind == setKind {
		return false
	}
	set, tagged := strings.CutPrefix(e.GetAttributeValue("description"), memberTag)
	cur, hasSet := current[kind]
	if !tagged {
		return !hasSet
	}
	return hasSet && set == cur
}

// ReplaceMethods replaces the person's methods of kind with ms: the new
// set is written hidden, made current by one modify, then the old set is
// deleted (see setKind above for why and how). If writing the new set
// fails, what was written of it is deleted and the old set stays; once
// the new set is current, failing to delete the old (hidden) one is not
// an error: the next replacement deletes it.
func (d *Directory) ReplaceMethods(account string, kind info.Kind, ms []info.Method) error {
	if err := info.CheckReplacement(kind, ms); err != nil {
		return err
	}
	if kind == setKind {
		return fmt.Errorf("replace methods: %q is not a kind of method", kind)
	}
	for _, m := range ms {
		if err := checkID(m.ID); err != nil {
			return err
		}
	}
	person, err := d.find(account)
	if err != nil {
		return err
	}
	es, err := d.methodEntries(person.DN)
	if err != nil {
		return err
	}
	for _, e := range es {
		if isToken(e) && e.GetAttributeValue("siKind") == string(kind) {
			// A hidden token would still be asked for at every bind.
			return fmt.Errorf("replace methods: method %q has a secret; only methods without one can be replaced as a set", e.GetAttributeValue("siMethodId"))
		}
	}
	name, err := secret.NewID(rand.Reader)
	if err != nil {
		return fmt.Errorf("replace methods: %w", err)
	}
	now := time.Now()

	// Step 1: the new set, hidden.
	var added []string
	undo := func() {
		for _, dn := range added {
			_ = d.do(func(c *ldap.Conn) error { return c.Del(ldap.NewDelRequest(dn, nil)) })
		}
	}
	for _, m := range ms {
		if m.Created.IsZero() {
			m.Created = now
		}
		dn := methodDN(person.DN, m.ID)
		add := d.methodAdd(dn, m, nil)
		add.Attribute("description", []string{memberTag + name})
		if err := d.do(func(c *ldap.Conn) error { return c.Add(add) }); err != nil {
			undo()
			if ldap.IsErrorWithCode(err, ldap.LDAPResultEntryAlreadyExists) {
				return fmt.Errorf("method %q: %w", m.ID, info.ErrMethodExists)
			}
			return fmt.Errorf("save methods: %w", err)
		}
		added = append(added, dn)
		replaceCrash("member")
	}

	// Step 2: the switch.
	replaced, err := d.switchSet(person.DN, kind, name)
	if err != nil {
		undo()
		return fmt.Errorf("save methods: %w", err)
	}
	replaceCrash("switched")

	// Step 3: the old set, and what earlier crashes left hidden.
	var res *ldap.SearchResult
	err = d.do(func(c *ldap.Conn) error {
		var err error
		res, err = c.Search(ldap.NewSearchRequest(person.DN, ldap.ScopeSingleLevel, ldap.NeverDerefAliases, 0, 0, false, "(objectClass=siMethod)",
			[]string{"objectClass", "siKind", "description", "createTimestamp"}, nil))
		return err
	})
	if err != nil {
		return nil // the new set is current; the old one stays hidden
	}
	for _, e := range res.Entries {
		if e.GetAttributeValue("siKind") != string(kind) {
			continue
		}
		set, tagged := strings.CutPrefix(e.GetAttributeValue("description"), memberTag)
		// The directory's own clock says how old an entry is: siCreated
		// is the caller's.
		stale := now.Sub(parseGeneralized(e.GetAttributeValue("createTimestamp"))) > staleSet
		if set == name || (tagged && set != replaced && !stale) {
			continue
		}
		_ = d.do(func(c *ldap.Conn) error { return c.Del(ldap.NewDelRequest(e.DN, nil)) })
		replaceCrash("old")
	}
	return nil
}

// maxSwitchTries bounds switchSet's reads and tries. Of stations switching
// one person's set at once, each round lets at least one through (slapd
// applies the modifies one by one, and the first finds the value it
// read), so n stations need at most n tries: 4 left one of 5 without
// its set now and then.
const maxSwitchTries = 10

// switchSet makes name kind's current set, as one add of the set entry
// or one modify of it, and returns the name of the set it replaced ("" if
// none). A modify that finds the entry changed meanwhile (another station
// switched) reads it again and tries again.
func (d *Directory) switchSet(personDN string, kind info.Kind, name string) (string, error) {
	dn := methodDN(personDN, setPrefix+string(kind))
	for attempt := 0; ; attempt++ {
		var res *ldap.SearchResult
		err := d.do(func(c *ldap.Conn) error {
			var err error
			res, err = c.Search(ldap.NewSearchRequest(dn, ldap.ScopeBaseObject, ldap.NeverDerefAliases, 1, 0, false, "(objectClass=siMethod)", []string{"description"}, nil))
			return err
		})
		if err != nil && !ldap.IsErrorWithCode(err, ldap.LDAPResultNoSuchObject) {
			return "", err
		}
		if err != nil || len(res.Entries) == 0 {
			add := ldap.NewAddRequest(dn, nil)
			add.Attribute("objectClass", []string{"siMethod"})
			add.Attribute("siMethodId", []string{setPrefix + string(kind)})
			add.Attribute("siKind", []string{setKind})
			add.Attribute("siCreated", []string{generalized(time.Now())})
			add.Attribute("description", []string{name})
			err = d.do(func(c *ldap.Conn) error { return c.Add(add) })
			if err == nil {
				return "", nil
			}
		} else {
			old := res.Entries[0].GetAttributeValue("description")
			if old == name {
				return "", nil // switched by a try whose answer was lost
			}
			mod := ldap.NewModifyRequest(dn, nil)
			if old != "" {
				mod.Delete("description", []string{old})
			}
			mod.Add("description", []string{name})
			err = d.do(func(c *ldap.Conn) error { return c.Modify(mod) })
			if err == nil {
				return old, nil
			}
		}
		if attempt < maxSwitchTries-1 && ldap.IsErrorAnyOf(err, ldap.LDAPResultEntryAlreadyExists, ldap.LDAPResultNoSuchObject,
			ldap.LDAPResultNoSuchAttribute, ldap.LDAPResultAttributeOrValueExists, ldap.LDAPResultConstraintViolation) {
			continue // switched meanwhile by another station: read it again
		}
		return "", err
	}
}
