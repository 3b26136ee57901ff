package directory

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/go-ldap/ldap/v3"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/regulation"
)

// personAttrs are what an account is read from.
var personAttrs = []string{"uid", "mail", "createTimestamp", "pwdAccountLockedTime", "pwdFailureTime", "oathTOTPToken",
	"objectClass", "siDefaultMethod", "siSnoozes", "siFirstSnooze",
	"siSecondFactorFailures", "siSecondFactorLastFailure", "siAppPasswordFailures", "siAppPasswordLastFailure"}

// ownCount is one of the failure counts Security Info keeps itself on a
// person's entry or a try slot (class siAccount): a count and the latest
// failure's time. The password's count is ppolicy's pwdFailureTime.
type ownCount struct {
	count, last string
	of          func(*info.Counts) *info.Tries
}

// ownCounts are the second factor's and app passwords' counts.
var ownCounts = []ownCount{
	{"siSecondFactorFailures", "siSecondFactorLastFailure", func(c *info.Counts) *info.Tries { return &c.SecondFactorTries }},
	{"siAppPasswordFailures", "siAppPasswordLastFailure", func(c *info.Counts) *info.Tries { return &c.AppPasswordTries }},
}

// values are c's count o as o's attributes hold it: the count, and the
// latest failure's time (now, where the count has none).
func (o ownCount) values(c *info.Counts) (count, last string) {
	n := o.of(c)
	when := n.LastFailure
	if when.IsZero() {
		when = time.Now()
	}
	return strconv.Itoa(n.Failures), generalized(when)
}

// permanentLock is the pwdAccountLockedTime that ppolicy reads as locked
// until an administrator unlocks, whatever the policy's
// pwdLockoutDuration: the value the app writes when one of its own counts
// locks the account, which stays locked in the app until a helpdesk
// unlocks it too.
const permanentLock = "000001010000Z"

// relaxRules lets the station clear ppolicy's operational attributes on
// unlock (RFC draft "LDAP Relax Rules Control").
var relaxRules = ldap.NewControlString("1.3.6.1.4.1.4203.666.5.12", true, "")

// accountName is the name a person is known by in the app: their mail
// address, or their uid when they have none.
func accountName(e *ldap.Entry) string {
	if m := e.GetAttributeValue("mail"); m != "" {
		return m
	}
	return e.GetAttributeValue("uid")
}

// accountOf makes an info.Account of a person's entry.
func (d *Directory) accountOf(e *ldap.Entry, helpdesk bool) info.Account {
	lock := e.GetAttributeValue("pwdAccountLockedTime")
	a := info.Account{
		Name:       accountName(e),
		Created:    parseGeneralized(e.GetAttributeValue("createTimestamp")),
		Locked:     lock != "",
		Helpdesk:   helpdesk,
		CodeAtBind: e.GetAttributeValue("oathTOTPToken") != "",

		DefaultMethod: e.GetAttributeValue("siDefaultMethod"),
		FirstSnooze:   parseGeneralized(e.GetAttributeValue("siFirstSnooze")),
	}
	a.Snoozes, _ = strconv.Atoi(e.GetAttributeValue("siSnoozes"))
	a.Counts = countsOf(e)
	a.Disabled = disabled(lock, a.Counts)
	return a
}

// disabled reports whether lock, an entry's pwdAccountLockedTime, is an
// administrator's: permanentLock (draft-behera-ldap-password-policy: locked
// until an administrator unlocks it), with counts c short of the lock-out
// the app writes that value for. ppolicy's own lock at pwdMaxFailure is the
// time it locked (measured with slapd 2.5), never permanentLock, and a reset
// may still lift it. Should ppolicy forget old password failures
// (pwdFailureCountInterval) of an account the app locked, the lock reads as
// an administrator's: refused until an administrator unlocks it ('user
// unlock'; the helpdesk's Unlock refuses a disabled account), never let
// through.
func disabled(lock string, c info.Counts) bool {
	return lock == permanentLock && !regulation.Default.CountsLocked(c)
}

// countsOf reads the failure counts kept on e, a person's entry or a try
// slot (zero where e is nil): the password's, one per ppolicy
// pwdFailureTime value, the latest of them; the second factor's and app
// passwords' from their ownCounts attributes.
func countsOf(e *ldap.Entry) info.Counts {
	var c info.Counts
	if e == nil {
		return c
	}
	for _, v := range e.GetAttributeValues("pwdFailureTime") {
		c.Failures++
		if t := parseGeneralized(v); t.After(c.LastFailure) {
			c.LastFailure = t
		}
	}
	for _, o := range ownCounts {
		t := o.of(&c)
		t.Failures, _ = strconv.Atoi(e.GetAttributeValue(o.count))
		t.LastFailure = parseGeneralized(e.GetAttributeValue(o.last))
	}
	return c
}

// newestFailure is the latest of e's pwdFailureTime values as stored; ""
// if it has none.
func newestFailure(e *ldap.Entry) string {
	newest, at := "", time.Time{}
	for _, v := range e.GetAttributeValues("pwdFailureTime") {
		if t := parseGeneralized(v); newest == "" || t.After(at) {
			newest, at = v, t
		}
	}
	return newest
}

// find reads the person a typed name names: ErrNoAccount if none, or if
// the name is ambiguous (two people match).
func (d *Directory) find(name string) (*ldap.Entry, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, info.ErrNoAccount
	}
	filter := "(&(objectClass=inetOrgPerson)" + strings.ReplaceAll(d.cfg.AccountFilter, "%s", ldap.EscapeFilter(name)) + ")"
	var res *ldap.SearchResult
	err := d.do(func(c *ldap.Conn) error {
		var err error
		res, err = c.Search(ldap.NewSearchRequest(d.cfg.peopleDN(), ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 2, int(d.cfg.timeout().Seconds()), false, filter, personAttrs, nil))
		return err
	})
	if err != nil && !ldap.IsErrorWithCode(err, ldap.LDAPResultSizeLimitExceeded) {
		return nil, fmt.Errorf("find account: %w", err)
	}
	if res == nil || len(res.Entries) != 1 {
		return nil, info.ErrNoAccount
	}
	e := res.Entries[0]
	d.dnMu.Lock()
	d.dns[info.AccountKey(name)] = e.DN
	d.dnMu.Unlock()
	return e, nil
}

// forget drops cached lookups of dn (after its entry changed).
func (d *Directory) forget(dn string) {
	d.dnMu.Lock()
	defer d.dnMu.Unlock()
	for k, v := range d.dns {
		if strings.EqualFold(v, dn) {
			delete(d.dns, k)
		}
	}
}

// personDN returns the DN of the person a name names, from a cache of
// names already looked up.
func (d *Directory) personDN(name string) (string, error) {
	d.dnMu.Lock()
	dn, ok := d.dns[info.AccountKey(name)]
	d.dnMu.Unlock()
	if ok {
		return dn, nil
	}
	e, err := d.find(name)
	if err != nil {
		return "", err
	}
	return e.DN, nil
}

// isHelpdesk reports whether dn is a member of the helpdesk group.
func (d *Directory) isHelpdesk(dn string) (bool, error) {
	if d.cfg.HelpdeskGroup == "" {
		return false, nil
	}
	var n int
	err := d.do(func(c *ldap.Conn) error {
		res, err := c.Search(ldap.NewSearchRequest(d.cfg.HelpdeskGroup, ldap.ScopeBaseObject, ldap.NeverDerefAliases, 1, 0, false,
			"(member="+ldap.EscapeFilter(dn)+")", []string{"1.1"}, nil))
		if err != nil {
			return err
		}
		n = len(res.Entries)
		return nil
	})
	if ldap.IsErrorWithCode(err, ldap.LDAPResultNoSuchObject) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read the helpdesk group: %w", err)
	}
	return n == 1, nil
}

// Account returns the person a name (uid or mail, as the account filter
// says) names, or ErrNoAccount: for a name that names nobody, a
// *info.NoAccountError with the counts of the name's try slot where the
// directory keeps them.
func (d *Directory) Account(name string) (info.Account, error) {
	e, err := d.find(name)
	if errors.Is(err, info.ErrNoAccount) {
		// One more search anyway, so that a name that names nobody costs
		// the requests a person's does: the name's slot, kept for a
		// sign-in's Bind to refuse a locked name before binding, as a
		// locked person is (bindUnknown), and answered with its counts,
		// for the sign-in's back-off (as a person's answer carries
		// theirs); the helpdesk group where the directory keeps no slots.
		if d.triesErr == nil && strings.TrimSpace(name) != "" {
			if counts, ok := d.seeSlot(name); ok {
				return info.Account{}, &info.NoAccountError{Counts: counts}
			}
		} else {
			_, _ = d.isHelpdesk(d.cfg.peopleDN())
		}
	}
	if err != nil {
		return info.Account{}, err
	}
	hd, err := d.isHelpdesk(e.DN)
	if err != nil {
		return info.Account{}, err
	}
	return d.accountOf(e, hd), nil
}

// CreateAccount is not supported: people come from the directory.
func (d *Directory) CreateAccount(info.Account) error {
	return fmt.Errorf("accounts come from the organisation's directory: %w", info.ErrNotSupported)
}

// UpdateAccount records failed and successful checks the app makes
// itself, each in its own count: a Temporary Access Pass guessed where no
// bind follows in the password's, ppolicy's pwdFailureTime (so that the
// directory's lock-out and the app's back-off count the same failures: a
// failure adds a time, a success clears them, as a bind does); a second
// factor's and an app password's in counts of Security Info's own on the
// person's entry (siSecondFactorFailures, siAppPasswordFailures and their
// times, class siAccount), which no bind touches. The person's settings in
// Security Info (the default sign-in method, the registration campaign's
// "Not now" count) are kept on their entry in siAccount too; when the
// default becomes an authenticator app, the directory's enforced token
// (oathTOTPToken) follows it. Nothing else of a person can be changed
// here (a password goes through SetPassword). A write that brings any
// count to regulation's lock-out sets ppolicy's lock too
// (pwdAccountLockedTime, permanentLock), so the account is locked at
// every service that binds to the directory, not only in the app.
//
// The read, change and write of a count are one compare-and-swap, as
// regulation's gate needs (info.Store: one transaction): the write
// carries an LDAP assertion (RFC 4528) that each count it changes is
// still as read, and a count changed meanwhile (another station, a bind)
// fails it, and change runs again on a fresh read, at most
// updateAttempts times.
func (d *Directory) UpdateAccount(name string, change func(*info.Account) error) error {
	for attempt := 1; ; attempt++ {
		err := d.updateAccount(name, change)
		if !errors.Is(err, errChanged) {
			return err
		}
		if attempt == updateAttempts {
			return fmt.Errorf("record the check: %w", err)
		}
	}
}

// updateAttempts is how many times UpdateAccount reads and writes again
// when a count changed between its read and its write. Each round lets one
// of the stations writing at once through, so it bounds how many may
// write one count at once: measured, ten at once took up to 10 rounds once
// every write also goes to the change log (cn=accesslog), at most 6
// without it.
const updateAttempts = 16

// errChanged means a count changed between UpdateAccount's read and its
// write: nothing was written.
var errChanged = errors.New("the account's failure count changed meanwhile")

// updateAccount is one read, change and write of UpdateAccount; errChanged
// if the write found a count changed since the read.
func (d *Directory) updateAccount(name string, change func(*info.Account) error) error {
	e, err := d.find(name)
	if err != nil {
		return err
	}
	old := d.accountOf(e, false)
	a := old
	if err := change(&a); err != nil {
		if regulation.Default.AccountLocked(old) && e.GetAttributeValue("pwdAccountLockedTime") != permanentLock {
			// Locked by a count before its lock reached ppolicy (a
			// station of an older version): lock it at every other
			// service now. The refusal stands whatever this answers.
			_ = d.lockEntry(e.DN)
		}
		return err
	}
	if a.PasswordHash != old.PasswordHash || a.Name != old.Name || a.Helpdesk != old.Helpdesk {
		return fmt.Errorf("only failed sign-ins and settings can change here: %w", info.ErrNotSupported)
	}
	mod := ldap.NewModifyRequest(e.DN, []ldap.Control{relaxRules})
	asserted, counts := changeCounts(mod, e, old.Counts, a.Counts)
	settings := a.DefaultMethod != old.DefaultMethod || a.Snoozes != old.Snoozes || !a.FirstSnooze.Equal(old.FirstSnooze)
	if (settings || counts) && !hasClass(e, "siAccount") {
		mod.Add("objectClass", []string{"siAccount"})
	}
	if settings {
		setOrDelete(mod, "siDefaultMethod", old.DefaultMethod != "", a.DefaultMethod)
		setOrDelete(mod, "siSnoozes", old.Snoozes != 0, countOrEmpty(a.Snoozes))
		first := ""
		if !a.FirstSnooze.IsZero() {
			first = generalized(a.FirstSnooze)
		}
		setOrDelete(mod, "siFirstSnooze", !old.FirstSnooze.IsZero(), first)
	}
	if len(mod.Changes) == 0 {
		return nil
	}
	if len(asserted) > 0 {
		ctrl, err := assertion("(&" + strings.Join(asserted, "") + ")")
		if err != nil {
			return fmt.Errorf("record the check: %w", err)
		}
		mod.Controls = append(mod.Controls, ctrl)
	}
	err = d.do(func(c *ldap.Conn) error { return c.Modify(mod) })
	switch {
	case ldap.IsErrorWithCode(err, ldap.LDAPResultAssertionFailed), ldap.IsErrorWithCode(err, ldap.LDAPResultNoSuchAttribute):
		return fmt.Errorf("%w: %w", errChanged, err)
	case counts && ldap.IsErrorAnyOf(err, ldap.LDAPResultUndefinedAttributeType, ldap.LDAPResultObjectClassViolation):
		// A directory set up before the counts existed: the check fails
		// closed, and says what to do.
		return fmt.Errorf("record the check: the directory's schema has no siSecondFactorFailures or siAppPasswordFailures yet (load this version's securityinfo.schema): %w", err)
	case err != nil:
		return fmt.Errorf("record the check: %w", err)
	}
	if a.DefaultMethod != old.DefaultMethod && a.DefaultMethod != "" && checkID(a.DefaultMethod) == nil {
		if err := d.followDefault(e, a.DefaultMethod); err != nil {
			return err
		}
	}
	return nil
}

// changeCounts adds to mod the changes that turn the failure counts kept
// on e (a person's entry, or a try slot of a name that names nobody: the
// same attributes), read as old, into c, and returns what the write must
// assume of e (assertion filters: each count it changes is as read) and
// whether one of Security Info's own counts is set (the entry must then
// have the class siAccount). The password's count is ppolicy's
// pwdFailureTime: a failure adds a time, a success clears them, as a bind
// does; the others are ownCounts. A write that brings the counts'
// total to regulation's lock-out sets ppolicy's lock too.
func changeCounts(mod *ldap.ModifyRequest, e *ldap.Entry, old, c info.Counts) (asserted []string, own bool) {
	have := failureTimes(e)
	newest := newestFailure(e)
	switch {
	case c.Failures == old.Failures-1:
		// One failure taken back (regulation.Release), or the only one
		// cleared: the latest, by its exact value, which fails if it
		// went meanwhile.
		mod.Delete("pwdFailureTime", []string{newest})
	case c.Failures <= 0 && old.Failures > 0:
		mod.Delete("pwdFailureTime", nil)
	case c.Failures < old.Failures:
		// Fewer: the oldest go, by their exact values.
		mod.Delete("pwdFailureTime", have[:len(have)-c.Failures])
	case c.Failures > old.Failures:
		// Later than every failure read, whatever this station's clock
		// says, so that another station's assertion below sees them.
		add := c.Failures - old.Failures
		mod.Add("pwdFailureTime", newFailureTimes(have, laterThan(have, c.LastFailure, add), add))
		asserted = append(asserted, noFailureAfter(newest))
	}
	for _, o := range ownCounts {
		was, now := o.of(&old), o.of(&c)
		if was.Failures == now.Failures && was.LastFailure.Equal(now.LastFailure) {
			continue
		}
		asserted = append(asserted, asIs(e, o.count), asIs(e, o.last))
		if now.Failures <= 0 {
			setOrDelete(mod, o.count, e.GetAttributeValue(o.count) != "", "")
			setOrDelete(mod, o.last, e.GetAttributeValue(o.last) != "", "")
			continue
		}
		own = true
		count, last := o.values(&c)
		mod.Replace(o.count, []string{count})
		mod.Replace(o.last, []string{last})
	}
	// A failure added is gated on the total (the lock-out is of the
	// three counts together): the write assumes every count as read, not
	// only the one it raises, or two stations adding failures of two
	// factors at a total of 99 would both pass. (A clause twice in the
	// filter is harmless.)
	adding := c.Failures > old.Failures
	for _, o := range ownCounts {
		adding = adding || o.of(&c).Failures > o.of(&old).Failures
	}
	if adding {
		asserted = append(asserted, noFailureAfter(newest))
		for _, o := range ownCounts {
			asserted = append(asserted, asIs(e, o.count))
		}
	}
	if regulation.Default.CountsLocked(c) && e.GetAttributeValue("pwdAccountLockedTime") != permanentLock {
		// The counts reached the lock-out: the app refuses the account
		// from now on, and so must every other service that binds to
		// the directory (mail, VPN), or a second factor guessed at a
		// hundred times leaves the password alone good enough there.
		// ppolicy's lock, in the same write as the count that locks;
		// permanent, as the app's is (a timed lock ppolicy set itself
		// would end while the app still refuses).
		mod.Replace("pwdAccountLockedTime", []string{permanentLock})
	}
	return asserted, own
}

// lockEntry sets ppolicy's lock on dn, permanently (permanentLock).
func (d *Directory) lockEntry(dn string) error {
	mod := ldap.NewModifyRequest(dn, []ldap.Control{relaxRules})
	mod.Replace("pwdAccountLockedTime", []string{permanentLock})
	if err := d.do(func(c *ldap.Conn) error { return c.Modify(mod) }); err != nil {
		return fmt.Errorf("lock the account in the directory: %w", err)
	}
	return nil
}

// noFailureAfter is a filter that holds while ppolicy's count is as read,
// newest being the latest failure time read ("" for none): ppolicy adds
// one time per failed bind, so a change of the count shows as a later
// time (to the microsecond it records).
func noFailureAfter(newest string) string {
	if newest == "" {
		return "(!(pwdFailureTime=*))"
	}
	return "(!(pwdFailureTime>=" + generalized(parseGeneralized(newest).Add(time.Microsecond)) + "))"
}

// asIs is a filter that holds while e's attr is as read: that value, or
// none.
func asIs(e *ldap.Entry, attr string) string {
	if v := e.GetAttributeValue(attr); v != "" {
		return "(" + attr + "=" + ldap.EscapeFilter(v) + ")"
	}
	return "(!(" + attr + "=*))"
}

// assertion is the LDAP Assertion control (RFC 4528) for filter: the
// server carries out the operation only if the entry matches it, and
// answers assertionFailed (122) otherwise, in the same step.
func assertion(filter string) (ldap.Control, error) {
	p, err := ldap.CompileFilter(filter)
	if err != nil {
		return nil, fmt.Errorf("assertion %s: %w", filter, err)
	}
	return ldap.NewControlString("1.3.6.1.1.12", true, string(p.Bytes())), nil
}

// followDefault points the person's enforced token at their default
// method, if that is an authenticator app (a token), so that the app the
// person chose is the one the directory asks at every bind.
func (d *Directory) followDefault(person *ldap.Entry, id string) error {
	dn := methodDN(person.DN, id)
	if strings.EqualFold(person.GetAttributeValue("oathTOTPToken"), dn) {
		return nil
	}
	es, err := d.methodEntries(person.DN)
	if err != nil {
		return err
	}
	for _, m := range es {
		if strings.EqualFold(m.DN, dn) && isToken(m) && !going(m) && !adding(m) {
			if err := d.linkChecked(person.DN, m.DN); err != nil {
				return fmt.Errorf("enforce the default authenticator app: %w", err)
			}
			d.forget(person.DN)
			return nil
		}
	}
	return nil
}

// hasClass reports whether e has the object class oc.
func hasClass(e *ldap.Entry, oc string) bool {
	for _, v := range e.GetAttributeValues("objectClass") {
		if strings.EqualFold(v, oc) {
			return true
		}
	}
	return false
}

// setOrDelete replaces attr with value, or deletes it when value is empty
// (and it had one).
func setOrDelete(mod *ldap.ModifyRequest, attr string, had bool, value string) {
	switch {
	case value != "":
		mod.Replace(attr, []string{value})
	case had:
		mod.Delete(attr, nil)
	}
}

// countOrEmpty is n in decimal, or "" for zero.
func countOrEmpty(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// EachAccount walks the people whose uid or mail contains query with a
// paged search (the server filters; nothing is loaded in full), at most
// limit of them. The directory returns them in its own order; a limited
// result is sorted by name before it is visited.
func (d *Directory) EachAccount(query string, limit int, visit func(info.Account) error) error {
	filter := "(objectClass=inetOrgPerson)"
	if q := strings.TrimSpace(query); q != "" {
		e := ldap.EscapeFilter(q)
		filter = "(&(objectClass=inetOrgPerson)(|(uid=*" + e + "*)(mail=*" + e + "*)))"
	}
	members, err := d.helpdeskMembers()
	if err != nil {
		return err
	}
	size := 0
	if limit > 0 {
		size = limit
	}
	req := ldap.NewSearchRequest(d.cfg.peopleDN(), ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, size, 0, false, filter, personAttrs, nil)
	if limit > 0 {
		var res *ldap.SearchResult
		err := d.do(func(c *ldap.Conn) error {
			var err error
			res, err = c.Search(req)
			return err
		})
		if err != nil && !ldap.IsErrorWithCode(err, ldap.LDAPResultSizeLimitExceeded) {
			return fmt.Errorf("list accounts: %w", err)
		}
		var accts []info.Account
		for _, e := range res.Entries {
			accts = append(accts, d.accountOf(e, members[strings.ToLower(e.DN)]))
		}
		sort.Slice(accts, func(i, j int) bool { return info.AccountKey(accts[i].Name) < info.AccountKey(accts[j].Name) }) // the other stores' order: by key
		for _, a := range accts {
			if err := visit(a); err != nil {
				return err
			}
		}
		return nil
	}
	return d.eachPage(req, func(e *ldap.Entry) error {
		return visit(d.accountOf(e, members[strings.ToLower(e.DN)]))
	})
}

// pageSize is how many entries a paged search asks for at once.
const pageSize = 500

// eachPage runs req page by page (RFC 2696), calling visit for each entry,
// so that a walk over the whole directory holds one page at a time.
func (d *Directory) eachPage(req *ldap.SearchRequest, visit func(*ldap.Entry) error) error {
	paging := ldap.NewControlPaging(pageSize)
	req.Controls = append(req.Controls, paging)
	for {
		var res *ldap.SearchResult
		err := d.do(func(c *ldap.Conn) error {
			var err error
			res, err = c.Search(req)
			return err
		})
		if err != nil {
			return fmt.Errorf("search %s: %w", req.BaseDN, err)
		}
		for _, e := range res.Entries {
			if err := visit(e); err != nil {
				return err
			}
		}
		ctrl, _ := ldap.FindControl(res.Controls, ldap.ControlTypePaging).(*ldap.ControlPaging)
		if ctrl == nil || len(ctrl.Cookie) == 0 {
			return nil
		}
		paging.SetCookie(ctrl.Cookie)
	}
}

// helpdeskMembers returns the lower-cased DNs in the helpdesk group.
func (d *Directory) helpdeskMembers() (map[string]bool, error) {
	out := map[string]bool{}
	if d.cfg.HelpdeskGroup == "" {
		return out, nil
	}
	var res *ldap.SearchResult
	err := d.do(func(c *ldap.Conn) error {
		var err error
		res, err = c.Search(ldap.NewSearchRequest(d.cfg.HelpdeskGroup, ldap.ScopeBaseObject, ldap.NeverDerefAliases, 1, 0, false, "(objectClass=*)", []string{"member"}, nil))
		return err
	})
	if ldap.IsErrorWithCode(err, ldap.LDAPResultNoSuchObject) {
		return out, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the helpdesk group: %w", err)
	}
	for _, e := range res.Entries {
		for _, m := range e.GetAttributeValues("member") {
			out[strings.ToLower(m)] = true
		}
	}
	return out, nil
}

// Unlock clears the person's lock and failure counts: the directory's
// password policy's and Security Info's own.
func (d *Directory) Unlock(name string) error {
	e, err := d.find(name)
	if err != nil {
		return err
	}
	mod := ldap.NewModifyRequest(e.DN, []ldap.Control{relaxRules})
	if e.GetAttributeValue("pwdAccountLockedTime") != "" {
		mod.Delete("pwdAccountLockedTime", nil)
	}
	if len(e.GetAttributeValues("pwdFailureTime")) > 0 {
		mod.Delete("pwdFailureTime", nil)
	}
	for _, c := range ownCounts {
		for _, attr := range []string{c.count, c.last} {
			if e.GetAttributeValue(attr) != "" {
				mod.Delete(attr, nil)
			}
		}
	}
	if len(mod.Changes) == 0 {
		return nil
	}
	if err := d.do(func(c *ldap.Conn) error { return c.Modify(mod) }); err != nil {
		return fmt.Errorf("unlock %s: %w", name, err)
	}
	return nil
}

// SetPassword changes the person's password with an LDAP Password Modify
// (RFC 3062) as the station; the directory hashes it and applies its
// password policy, whose refusals become a *info.PasswordRejectedError.
func (d *Directory) SetPassword(name, password string) error {
	e, err := d.find(name)
	if err != nil {
		return err
	}
	err = d.do(func(c *ldap.Conn) error {
		_, err := c.PasswordModify(ldap.NewPasswordModifyRequest(e.DN, "", password))
		return err
	})
	if err == nil {
		return nil
	}
	var le *ldap.Error
	if errors.As(err, &le) && le.ResultCode == ldap.LDAPResultConstraintViolation {
		return &info.PasswordRejectedError{Reason: rejection(le.Err.Error()), Detail: le.Err.Error()}
	}
	return fmt.Errorf("set password: %w", err)
}

// rejection names why ppolicy refused a password, from its message.
func rejection(msg string) string {
	m := strings.ToLower(msg)
	switch {
	case strings.Contains(m, "too short"):
		return "too-short"
	case strings.Contains(m, "history"), strings.Contains(m, "not being changed"):
		return "in-history"
	case strings.Contains(m, "too young"):
		return "too-young"
	case strings.Contains(m, "quality"):
		// ppolicy says this of a too-short password too.
		return "quality"
	}
	return "other"
}

// Bind checks credential (the password, followed by the authenticator
// code when the account's CodeAtBind is set) with a simple bind as the
// person on a connection of its own; the directory's password policy
// counts the failure or locks, and slapo-otp checks and records the code.
// A name that names nobody gets the same requests on its try slot
// (bindUnknown) and ErrWrongPassword or ErrLocked, as a person would;
// ErrNoAccount only where the directory has no ou=tries.
func (d *Directory) Bind(name, credential string) (info.Account, error) {
	e, err := d.find(name)
	if errors.Is(err, info.ErrNoAccount) {
		return d.bindUnknown(name, credential)
	}
	if err != nil {
		return info.Account{}, err
	}
	c, err := d.dial()
	if err != nil {
		return info.Account{}, err
	}
	defer c.Close()
	res, err := c.SimpleBind(&ldap.SimpleBindRequest{Username: e.DN, Password: credential, Controls: []ldap.Control{ldap.NewControlBeheraPasswordPolicy()}})
	if ldap.IsErrorWithCode(err, ldap.LDAPResultInvalidCredentials) && policyError(res) == nil {
		// A link to a token that is gone refuses every bind (a station
		// of an older version, or one that stopped mid-removal, left
		// it): move it off and try once more. Read for a person with no
		// link too, and bindUnknown reads its slot alike, so a refused
		// bind makes the same requests whoever the name names.
		if changed, serr := d.settle(e.DN); serr == nil && changed {
			if e, err = d.find(name); err != nil {
				return info.Account{}, err
			}
			res, err = c.SimpleBind(&ldap.SimpleBindRequest{Username: e.DN, Password: credential, Controls: []ldap.Control{ldap.NewControlBeheraPasswordPolicy()}})
		}
	}
	if err != nil {
		if broken(err) || c.IsClosing() {
			return info.Account{}, unavailable("sign in", err)
		}
		if !ldap.IsErrorWithCode(err, ldap.LDAPResultInvalidCredentials) {
			return info.Account{}, fmt.Errorf("sign in: %w", err)
		}
		// ppolicy refuses a right but expired password with 49 too, and
		// says why only in its control: read it before calling the
		// password wrong.
		if perr := policyError(res); perr != nil {
			return info.Account{}, perr
		}
		// A locked account answers 49 like a wrong password; the station
		// can see the lock.
		if a, lookErr := d.Account(name); lookErr == nil && a.Locked {
			return info.Account{}, info.ErrLocked
		}
		return info.Account{}, info.ErrWrongPassword
	}
	if perr := policyError(res); perr != nil {
		return info.Account{}, perr
	}
	if tok := e.GetAttributeValue("oathTOTPToken"); tok != "" {
		if err := d.replicateStep(c, tok); err != nil {
			return info.Account{}, err
		}
	}
	// Read again: the bind changed the failure count and the code's step.
	return d.Account(name)
}

// policyError reads the password policy control of a bind's answer
// (draft-behera-ldap-password-policy): an expired password, a locked
// account or a password that must be changed; nil for none. ppolicy sends
// passwordExpired only after the password itself was right.
func policyError(res *ldap.SimpleBindResult) error {
	if res == nil {
		return nil
	}
	pp, ok := ldap.FindControl(res.Controls, ldap.ControlTypeBeheraPasswordPolicy).(*ldap.ControlBeheraPasswordPolicy)
	if !ok || pp.Error < 0 {
		return nil
	}
	switch pp.Error {
	case 0:
		return info.ErrPasswordExpired
	case 1:
		return info.ErrLocked
	case 2:
		return info.ErrMustChangePassword
	}
	return nil
}

// replicateStep writes the step slapo-otp just recorded on tokenDN again,
// as the station. slapo-otp's own write is internal: it gets no new
// entryCSN, so it never replicates, and a code accepted here would work
// once more on every other server (measured: assets/directory/README.md,
// "Single use across servers"). The same value written by the station is
// an ordinary change, which replicates in milliseconds.
//
// The step is read on bound, the person's own connection: the server that
// accepted the code is the only one that has it. Behind one name for
// several servers (round-robin DNS, a load balancer) the station's
// connection may reach another, where a token never used has no step.
// The write goes through the station's connection, wherever that is:
// only stations may write the token, and any server passes it on.
func (d *Directory) replicateStep(bound *ldap.Conn, tokenDN string) error {
	res, err := bound.Search(ldap.NewSearchRequest(tokenDN, ldap.ScopeBaseObject, ldap.NeverDerefAliases, 1, 0, false, "(objectClass=oathTOTPToken)", []string{"oathTOTPLastTimeStep"}, nil))
	if err != nil {
		if broken(err) || bound.IsClosing() {
			return unavailable("record the accepted code for the other directory servers", err)
		}
		return fmt.Errorf("record the accepted code for the other directory servers: %w", err)
	}
	step := ""
	if len(res.Entries) == 1 {
		step = res.Entries[0].GetAttributeValue("oathTOTPLastTimeStep")
	}
	if step == "" {
		return fmt.Errorf("record the accepted code for the other directory servers: %s has no oathTOTPLastTimeStep where the code was accepted (can the person read their own method entries? see assets/directory/slapd.conf)", tokenDN)
	}
	mod := ldap.NewModifyRequest(tokenDN, nil)
	mod.Replace("oathTOTPLastTimeStep", []string{step})
	if err := d.do(func(c *ldap.Conn) error { return c.Modify(mod) }); err != nil {
		return fmt.Errorf("record the accepted code for the other directory servers: %w", err)
	}
	return nil
}
