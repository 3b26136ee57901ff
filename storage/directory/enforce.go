package directory

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/go-ldap/ldap/v3"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// The person's entry names the token slapo-otp enforces (oathTOTPToken).
// A link to a token that is missing makes slapo-otp refuse every bind of
// the person, with or without a code, at every service, so no order of
// two stations' writes may leave one:
//
//   - a token being removed is marked first (description "removing"), and
//     no station links a marked token;
//   - whoever links a token (a repair, the default app) reads the person
//     again after the write and moves the link off a token that is gone
//     or marked (settle); a registration's last write, clearing its
//     token's mark, fails if the token was removed or marked for removal
//     meanwhile, and the registration is then taken back, settled as a
//     removal;
//   - a removal settles again after deleting;
//   - a token being registered is added marked (description "adding"),
//     linked, and the mark cleared as the registration's last write: a
//     marked token is not listed, linked by no repair, and once the mark
//     is stale it is taken off and deleted (undoRegistrations), so a
//     registration cut off at any write leaves nothing enforced for long.
//
// Of a link written after its own check of the token and a delete, one of
// the two writers reads the other's write when it reads again: a
// registration or a repair that linked a token removed meanwhile, or a
// station of an older version, leaves no link behind.

// goingTag marks a token being removed: repair never links it, Methods
// doesn't list it, and finishes the removal once the mark is stale.
const goingTag = "removing"

// addingTag marks a token whose registration has not finished: it is
// not a registered method until the mark is cleared, which is the
// registration's last write (AddMethod).
const addingTag = "adding"

// testHook is called at named steps of a change made in several writes;
// tests make another station act there, or a write fail after it was
// applied (a step's error is the step's error).
var testHook = func(step string) error { return nil }

// going reports whether e is a token being removed.
func going(e *ldap.Entry) bool {
	return isToken(e) && slices.Contains(e.GetAttributeValues("description"), goingTag)
}

// adding reports whether e is a token whose registration has not
// finished (or was cut off).
func adding(e *ldap.Entry) bool {
	return isToken(e) && slices.Contains(e.GetAttributeValues("description"), addingTag)
}

// cutOff reports whether e is a token whose registration was cut off: its
// "adding" mark is older than staleMark, so no registration is still
// writing it.
func cutOff(e *ldap.Entry) bool {
	return adding(e) && markStale(e)
}

// markStale reports whether e's mark ("removing" or "adding"), as dated
// by its last write (modifyTimestamp), is older than staleMark.
func markStale(e *ldap.Entry) bool {
	marked := parseGeneralized(e.GetAttributeValue("modifyTimestamp"))
	return !marked.IsZero() && time.Since(marked) > staleMark
}

// staleMark is how long ago a token must have been marked for removal
// before a reader of the person's methods finishes the removal: a younger
// mark may be another station's removal still under way, which would then
// find nothing left to delete and say the method was gone. A registration's
// "adding" mark is taken as cut off after as long (cutOff). The mark's
// time is the directory's clock (modifyTimestamp), read against the
// station's, so the margin is wide.
var staleMark = time.Hour

// finishRemovals deletes the tokens among the person's method entries
// whose removal was cut off after the mark (a crash, a dropped
// connection): Methods already hides them, but each still holds its
// secret in the directory. It is best effort: a failure leaves them for
// the next read, and Methods' answer doesn't depend on it.
//
// Each token it deletes is recorded in the audit log, as the station that
// was cut off would have recorded it (a removal is recorded once done,
// and that one never was): by "station", naming the method's kind and
// label. Only what this station deleted is recorded, so of two stations
// finishing at once, only the one whose delete took records it, and the
// next read finds nothing to record again. The entry is written after the
// delete, best effort too: written first, a delete that then failed would
// be recorded again at the next read.
func (d *Directory) finishRemovals(person *ldap.Entry, methods []*ldap.Entry) {
	var stale []*ldap.Entry
	for _, e := range methods {
		if going(e) && markStale(e) {
			stale = append(stale, e)
		}
	}
	if len(stale) == 0 {
		return
	}
	deleted, _ := d.retire(person.DN, stale)
	for _, e := range deleted {
		_ = d.AppendAudit(info.AuditEntry{Time: time.Now().UTC(), Actor: "station", Account: accountName(person),
			Action: info.ActionMethodRemoved, Station: d.cfg.Station, Detail: finishedDetail(e)})
	}
}

// finishedDetail is the audit detail of a cut-off removal finished
// (finishRemovals): the method's kind, as every removal records it, then
// its label and what happened. Never its secret.
func finishedDetail(e *ldap.Entry) string {
	detail := e.GetAttributeValue("siKind")
	if l := e.GetAttributeValue("siLabel"); l != "" {
		detail += " “" + l + "”"
	}
	return detail + ": a removal cut off on a station (a crash or a lost connection), finished"
}

// undoRegistrations takes back the tokens among the person's method
// entries whose registration was cut off (cutOff: a crash, or an outage
// that also failed AddMethod's own clean-up), or that this station
// reported failed (failed), as a cut-off removal is finished: the link
// moved off and the token deleted. The person was told the registration
// failed, so it must not stay enforced. Each is marked for removal first
// with one modify that also deletes its "adding" mark, so a registration
// that cleared its mark meanwhile keeps its token. It returns methods
// without the tokens it marked. Best effort, as finishRemovals: what
// fails is left for the next read.
func (d *Directory) undoRegistrations(personDN string, methods []*ldap.Entry) []*ldap.Entry {
	d.failedMu.Lock()
	failed := make(map[string]bool)
	for dn := range d.failed {
		if strings.HasSuffix(dn, ","+strings.ToLower(personDN)) {
			failed[dn] = true
			delete(d.failed, dn) // put back below if it stays
		}
	}
	d.failedMu.Unlock()
	var undo []*ldap.Entry
	kept := make([]*ldap.Entry, 0, len(methods))
	for _, e := range methods {
		if !cutOff(e) && !(failed[strings.ToLower(e.DN)] && isToken(e) && !going(e)) {
			kept = append(kept, e)
			continue
		}
		mod := ldap.NewModifyRequest(e.DN, nil)
		if adding(e) {
			mod.Delete("description", []string{addingTag})
		}
		mod.Add("description", []string{goingTag})
		if err := d.do(func(c *ldap.Conn) error { return c.Modify(mod) }); err != nil {
			kept = append(kept, e) // registered or removed meanwhile, or unreachable
			if !ldap.IsErrorAnyOf(err, ldap.LDAPResultNoSuchObject, ldap.LDAPResultNoSuchAttribute, ldap.LDAPResultAttributeOrValueExists) {
				d.failedTakeBack(e.DN)
			}
			continue
		}
		undo = append(undo, ldap.NewEntry(e.DN, map[string][]string{"objectClass": e.GetAttributeValues("objectClass"), "description": {goingTag}}))
	}
	if len(undo) > 0 {
		_, _ = d.retire(personDN, undo) // marked: a failure is finished as a cut-off removal
	}
	return kept
}

// failedTakeBack remembers a token whose registration this station
// reported failed but could not take back, for undoRegistrations.
func (d *Directory) failedTakeBack(dn string) {
	d.failedMu.Lock()
	defer d.failedMu.Unlock()
	if d.failed == nil {
		d.failed = map[string]bool{}
	}
	d.failed[strings.ToLower(dn)] = true
}

// usable returns the oldest registered token among methods (not being
// removed or registered), and whether linked (lower-cased) names a usable
// token. A token being registered is usable only as the one it is linked
// to (its registration linked it, and clears its mark next) until its
// registration is cut off.
func usable(methods []*ldap.Entry, linked string) (oldest *ldap.Entry, present bool) {
	for _, e := range methods {
		if !isToken(e) || going(e) || cutOff(e) {
			continue
		}
		if strings.ToLower(e.DN) == linked {
			present = true
		}
		if adding(e) {
			continue // never linked by anyone but its registration
		}
		if oldest == nil || parseGeneralized(e.GetAttributeValue("siCreated")).Before(parseGeneralized(oldest.GetAttributeValue("siCreated"))) {
			oldest = e
		}
	}
	return oldest, present
}

// readPerson reads the person's entry at dn and their method entries in
// one search; a nil person if there is none there.
func (d *Directory) readPerson(dn string) (*ldap.Entry, []*ldap.Entry, error) {
	var res *ldap.SearchResult
	err := d.do(func(c *ldap.Conn) error {
		var err error
		res, err = c.Search(ldap.NewSearchRequest(dn, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false,
			personWithMethodsFilter, append(slices.Clip(personAttrs), methodAttrs...), nil))
		return err
	})
	if ldap.IsErrorWithCode(err, ldap.LDAPResultNoSuchObject) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read methods: %w", err)
	}
	var person *ldap.Entry
	var methods []*ldap.Entry
	for _, e := range res.Entries {
		switch {
		case strings.EqualFold(e.DN, dn):
			person = e
		case hasClass(e, "siMethod"):
			methods = append(methods, e)
		}
	}
	if person != nil && !hasClass(person, "inetOrgPerson") {
		person = nil
	}
	return person, methods, nil
}

// settle moves the person's enforcement off a token that is missing,
// being removed, or whose registration was cut off (usable): to their
// oldest other registered token, or off altogether when they have none.
// It reads the person again before each write and after it, so a change
// another station made meanwhile is seen; it reports whether it changed
// the link. A person with no link is left alone (linking a token
// is repair's, when the person's methods are read).
func (d *Directory) settle(personDN string) (changed bool, err error) {
	for attempt := 0; ; attempt++ {
		person, methods, err := d.readPerson(personDN)
		if err != nil || person == nil {
			return changed, err
		}
		linked := strings.ToLower(person.GetAttributeValue("oathTOTPToken"))
		next, present := usable(methods, linked)
		if linked == "" || present {
			return changed, nil
		}
		if attempt == 3 {
			return changed, errors.New("the person's authenticator app enforcement kept changing under this station")
		}
		if next != nil {
			err = d.link(personDN, next.DN)
		} else {
			// Only this link: a token linked meanwhile stays enforced
			// (the delete of a value that isn't there fails).
			mod := ldap.NewModifyRequest(personDN, nil)
			mod.Delete("oathTOTPToken", []string{person.GetAttributeValue("oathTOTPToken")})
			mod.Delete("objectClass", []string{"oathTOTPUser"})
			err = d.do(func(c *ldap.Conn) error { return c.Modify(mod) })
			if ldap.IsErrorWithCode(err, ldap.LDAPResultNoSuchAttribute) {
				continue // changed meanwhile: read it again
			}
		}
		if err != nil {
			return changed, err
		}
		changed = true
	}
}

// linkChecked links the person to tokenDN, then settles: if the token was
// removed, or marked for removal, between the caller's read and the link,
// the link moves off it again.
func (d *Directory) linkChecked(personDN, tokenDN string) error {
	if err := d.link(personDN, tokenDN); err != nil {
		return err
	}
	_, err := d.settle(personDN)
	return err
}

// retire removes a person's method entries: their tokens marked first,
// the enforcement settled off them, the entries deleted, and settled again
// (for a station of an older version, which links without checking). It
// returns the entries it deleted; those already gone are skipped.
func (d *Directory) retire(personDN string, es []*ldap.Entry) ([]*ldap.Entry, error) {
	tokens := false
	for _, e := range es {
		if !isToken(e) {
			continue
		}
		tokens = true
		if going(e) {
			continue
		}
		mod := ldap.NewModifyRequest(e.DN, nil)
		mod.Replace("description", []string{goingTag})
		err := d.do(func(c *ldap.Conn) error { return c.Modify(mod) })
		if err != nil && !ldap.IsErrorWithCode(err, ldap.LDAPResultNoSuchObject) {
			return nil, fmt.Errorf("mark the authenticator app for removal: %w", err)
		}
	}
	if tokens {
		if _, err := d.settle(personDN); err != nil {
			return nil, fmt.Errorf("move the enforcement off the authenticator app: %w", err)
		}
	}
	_ = testHook("retire: settled")
	var deleted []*ldap.Entry
	for _, e := range es {
		err := d.do(func(c *ldap.Conn) error { return c.Del(ldap.NewDelRequest(e.DN, nil)) })
		if ldap.IsErrorWithCode(err, ldap.LDAPResultNoSuchObject) {
			continue
		}
		if err != nil {
			return deleted, err
		}
		deleted = append(deleted, e)
	}
	if tokens {
		if _, err := d.settle(personDN); err != nil {
			return deleted, fmt.Errorf("move the enforcement off the authenticator app: %w", err)
		}
	}
	return deleted, nil
}
