package directory

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/go-ldap/ldap/v3"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// The audit log is the entries siAuditId=ID,ou=audit (siAuditEntry), which
// the directory's access rules let stations add and read but never change
// or delete. The id starts with the time, so ids sort in time order.

var auditAttrs = []string{"siAuditId", "siTime", "siActor", "siAccount", "siAction", "siStation", "siDetail"}

// AppendAudit adds e to the directory's audit log.
func (d *Directory) AppendAudit(e info.AuditEntry) error {
	if e.Action == "" {
		return errors.New("append audit: no action")
	}
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	r := make([]byte, 6)
	if _, err := rand.Read(r); err != nil {
		return fmt.Errorf("append audit: %w", err)
	}
	id := e.Time.UTC().Format("20060102T150405.000000000Z") + "-" + hex.EncodeToString(r)
	add := ldap.NewAddRequest("siAuditId="+id+","+d.cfg.auditDN(), nil)
	add.Attribute("objectClass", []string{"siAuditEntry"})
	add.Attribute("siAuditId", []string{id})
	add.Attribute("siTime", []string{generalized(e.Time)})
	add.Attribute("siAction", []string{info.CleanAuditField(e.Action)})
	for k, v := range map[string]string{"siActor": e.Actor, "siAccount": e.Account, "siStation": e.Station, "siDetail": e.Detail} {
		if v = info.CleanAuditField(v); v != "" {
			add.Attribute(k, []string{v})
		}
	}
	if err := d.do(func(c *ldap.Conn) error { return c.Add(add) }); err != nil {
		return fmt.Errorf("append audit: %w", err)
	}
	return nil
}

// EachAudit walks the log's entries for account unless empty, and at or
// after since unless zero; the directory filters with its indexes and
// pages, and entries come in the order the server returns them (the order
// they were added to it). account matches the name as recorded,
// case-insensitively, and, when it names a person (the account filter:
// uid or mail, as every admin command takes it), the person's other
// names: records hold the account's name (the mail address), or what was
// typed.
func (d *Directory) EachAudit(account string, since time.Time, visit func(info.AuditEntry) error) error {
	filter := "(objectClass=siAuditEntry)"
	if a := strings.TrimSpace(account); a != "" {
		names, err := d.namesOf(a)
		if err != nil {
			return fmt.Errorf("read audit log: %w", err)
		}
		match := ""
		for _, n := range names {
			match += "(siAccount=" + ldap.EscapeFilter(n) + ")"
		}
		if len(names) > 1 {
			match = "(|" + match + ")"
		}
		filter = "(&" + filter + match + ")"
	}
	if !since.IsZero() {
		filter = "(&" + filter + "(siTime>=" + generalized(since) + "))"
	}
	req := ldap.NewSearchRequest(d.cfg.auditDN(), ldap.ScopeSingleLevel, ldap.NeverDerefAliases, 0, 0, false, filter, auditAttrs, nil)
	err := d.eachPage(req, func(e *ldap.Entry) error {
		return visit(info.AuditEntry{
			Time:    parseGeneralized(e.GetAttributeValue("siTime")),
			Actor:   e.GetAttributeValue("siActor"),
			Account: e.GetAttributeValue("siAccount"),
			Action:  e.GetAttributeValue("siAction"),
			Station: e.GetAttributeValue("siStation"),
			Detail:  e.GetAttributeValue("siDetail"),
		})
	})
	if err != nil {
		return fmt.Errorf("read audit log: %w", err)
	}
	return nil
}

// namesOf is typed and, if it names a person, their account name and uid,
// each once (case-insensitively).
func (d *Directory) namesOf(typed string) ([]string, error) {
	names := []string{typed}
	e, err := d.find(typed)
	if errors.Is(err, info.ErrNoAccount) {
		return names, nil
	}
	if err != nil {
		return nil, err
	}
	for _, n := range []string{accountName(e), e.GetAttributeValue("uid")} {
		if n != "" && !slices.ContainsFunc(names, func(m string) bool { return info.AccountKey(m) == info.AccountKey(n) }) {
			names = append(names, n)
		}
	}
	return names, nil
}
