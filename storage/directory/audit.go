package directory

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
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

// EachAudit walks the log's entries for account (its name as recorded,
// case-insensitively) unless empty, and at or after since unless zero;
// the directory filters with its indexes and pages, and entries come in
// the order the server returns them (the order they were added to it).
func (d *Directory) EachAudit(account string, since time.Time, visit func(info.AuditEntry) error) error {
	filter := "(objectClass=siAuditEntry)"
	if a := strings.TrimSpace(account); a != "" {
		filter = "(&" + filter + "(siAccount=" + ldap.EscapeFilter(a) + "))"
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
