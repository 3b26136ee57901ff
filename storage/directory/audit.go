package directory

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/go-ldap/ldap/v3"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// The audit log is the entries siAuditId=ID,ou=audit (siAuditEntry), which
// the directory's access rules let stations add and read but never change
// or delete. The id starts with the time, so ids sort in time order.

var auditAttrs = []string{"siAuditId", "siTime", "siActor", "siAccount", "siAction", "siStation", "siDetail"}

// maxAuditField is the most bytes of one text field an entry keeps.
const maxAuditField = 1024

// clean makes a field safe to print on one line (as the local log does).
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029' {
			return '\uFFFD'
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
	if len(s) > maxAuditField {
		cut := maxAuditField
		for cut > 0 && (s[cut]&0xc0) == 0x80 {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

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
	add.Attribute("siAction", []string{clean(e.Action)})
	for k, v := range map[string]string{"siActor": e.Actor, "siAccount": e.Account, "siStation": e.Station, "siDetail": e.Detail} {
		if v = clean(v); v != "" {
			add.Attribute(k, []string{v})
		}
	}
	if err := d.do(func(c *ldap.Conn) error { return c.Add(add) }); err != nil {
		return fmt.Errorf("append audit: %w", err)
	}
	return nil
}

// Audit lists the log's entries oldest first, for account (its name as
// recorded, case-insensitively) unless empty, and at or after since
// unless zero; the directory filters with its indexes and pages.
func (d *Directory) Audit(account string, since time.Time) ([]info.AuditEntry, error) {
	filter := "(objectClass=siAuditEntry)"
	if a := strings.TrimSpace(account); a != "" {
		filter = "(&" + filter + "(siAccount=" + ldap.EscapeFilter(a) + "))"
	}
	if !since.IsZero() {
		filter = "(&" + filter + "(siTime>=" + generalized(since) + "))"
	}
	type row struct {
		id string
		e  info.AuditEntry
	}
	var rows []row
	req := ldap.NewSearchRequest(d.cfg.auditDN(), ldap.ScopeSingleLevel, ldap.NeverDerefAliases, 0, 0, false, filter, auditAttrs, nil)
	err := d.eachPage(req, func(e *ldap.Entry) error {
		rows = append(rows, row{e.GetAttributeValue("siAuditId"), info.AuditEntry{
			Time:    parseGeneralized(e.GetAttributeValue("siTime")),
			Actor:   e.GetAttributeValue("siActor"),
			Account: e.GetAttributeValue("siAccount"),
			Action:  e.GetAttributeValue("siAction"),
			Station: e.GetAttributeValue("siStation"),
			Detail:  e.GetAttributeValue("siDetail"),
		}})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].id < rows[j].id })
	out := make([]info.AuditEntry, len(rows))
	for i, r := range rows {
		out[i] = r.e
	}
	return out, nil
}
