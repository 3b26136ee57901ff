package directory

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"maps"
	"sort"
	"strings"
	"time"

	"github.com/go-ldap/ldap/v3"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/regulation"
)

// The failures of names that name no account live in the directory, so
// that they outlive a restart and every station and CLI counts the same
// ones, and so that a try at such a name costs the directory what a try at
// a person does. Each is kept in a slot entry, cn=SLOT,ou=tries,BASE
// (siTrySlot; SLOT is info.TrySlot of the name in four hex digits, never
// the name), that is to ppolicy what a person's entry is: it has a random
// password nobody keeps, so a failed sign-in at the name is a bind to the
// slot that ppolicy counts in pwdFailureTime and locks as it locks a
// person, and the app's own checks count as UpdateAccount counts a
// person's. A slot keeps the three counts a person's entry does, in the same attributes (the second
// factor's and app passwords' in siAccount's), written by the same code
// (changeCounts), so that it waits and locks as a person does: each
// factor's back-off of its own count, the lock-out of the three counts'
// total. The key the slots are hashed with is siTryKey on ou=tries, made
// by the first station that finds none, so that every station puts a
// name in the same slot.

// slotAttrs are what a slot is read from.
var slotAttrs = []string{"objectClass", "pwdFailureTime", "pwdAccountLockedTime",
	"siSecondFactorFailures", "siSecondFactorLastFailure", "siAppPasswordFailures", "siAppPasswordLastFailure"}

// ErrNoTries means the directory has no place for the failures of names
// that name no account (an older directory: no ou=tries, or not the
// schema that describes it); Store.UpdateTries then answers
// info.ErrNotSupported and the app keeps them in memory.
var ErrNoTries = errors.New("the directory has no ou=tries for the failures of names that name no account (load base.ldif's ou=tries entry and the securityinfo schema of this version, assets/directory/README.md)")

// openTries reads (or, if there is none yet, makes) the slot key on
// ou=tries. It answers ErrNoTries where the directory has no ou=tries or
// no schema for it.
func (d *Directory) openTries() ([]byte, error) {
	read := func() ([]byte, error) {
		var res *ldap.SearchResult
		err := d.do(func(c *ldap.Conn) error {
			var err error
			res, err = c.Search(ldap.NewSearchRequest(d.cfg.triesDN(), ldap.ScopeBaseObject, ldap.NeverDerefAliases, 1, 0, false,
				"(objectClass=siTries)", []string{"siTryKey"}, nil))
			return err
		})
		if ldap.IsErrorWithCode(err, ldap.LDAPResultNoSuchObject) || (err == nil && len(res.Entries) == 0) {
			return nil, ErrNoTries
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", d.cfg.triesDN(), err)
		}
		return res.Entries[0].GetRawAttributeValue("siTryKey"), nil
	}
	key, err := read()
	if err != nil || len(key) > 0 {
		return key, err
	}
	// The first station makes the key. siTryKey is single-valued, so of
	// two stations at once one add fails and that one reads the other's.
	mod := ldap.NewModifyRequest(d.cfg.triesDN(), nil)
	mod.Add("siTryKey", []string{string(info.NewTryKey())})
	err = d.do(func(c *ldap.Conn) error { return c.Modify(mod) })
	if err != nil && !ldap.IsErrorAnyOf(err, ldap.LDAPResultConstraintViolation, ldap.LDAPResultAttributeOrValueExists) {
		return nil, fmt.Errorf("make the try slot key on %s: %w", d.cfg.triesDN(), err)
	}
	if key, err = read(); err == nil && len(key) == 0 {
		err = fmt.Errorf("%s has no siTryKey after it was made", d.cfg.triesDN())
	}
	return key, err
}

// TriesNote says why the failures of names that name no account are kept
// in this process's memory rather than in the directory, or is empty when
// the directory keeps them. The app prints it at start.
func (d *Directory) TriesNote() string {
	if d.triesErr == nil {
		return ""
	}
	return "the failures of names that name no account are kept in this process's memory only (lost at restart, not shared with other stations), and a try at such a name costs the directory less than a try at a person: " + d.triesErr.Error()
}

// slotDN is the DN of name's slot.
func (d *Directory) slotDN(name string) string {
	return fmt.Sprintf("cn=%04x,%s", info.TrySlot(d.triesKey, name), d.cfg.triesDN())
}

// readSlot reads name's slot entry (nil if there is none) and the counts
// to carry over into it (carried: zero but for the second factor's and app
// passwords'). Earlier versions kept those two counts of a name in slots of
// their own (info.OldFactorSlotNames), in ppolicy's pwdFailureTime, and
// made slots without the class siAccount, which every slot this version
// writes has. Only where Open found such slots (d.oldSlots) and name's
// slot has no siAccount (an earlier version's slot, or none yet) are
// those old slots read too and carried over, and the slot's next write
// keeps them (the old slots are left, to be forgotten as the oldest
// are). The old slots are keyed by the name, which the directory never
// holds, so they can't be carried over at Open; but a directory that
// holds none (a new one, or one whose old slots are gone by the next
// start) costs every try at a name the one read a person's entry does,
// also a name's first.
func (d *Directory) readSlot(name string) (e *ldap.Entry, carried info.Counts, err error) {
	dn := d.slotDN(name)
	if e, err = d.readEntry(dn); err != nil || !d.oldSlots || (e != nil && hasClass(e, "siAccount")) {
		return e, info.Counts{}, err
	}
	second, app := info.OldFactorSlotNames(name)
	for _, o := range []struct {
		name string
		to   *info.Tries
	}{{second, &carried.SecondFactorTries}, {app, &carried.AppPasswordTries}} {
		odn := d.slotDN(o.name)
		if strings.EqualFold(odn, dn) {
			continue
		}
		r, err := d.readEntry(odn)
		if err != nil {
			return nil, info.Counts{}, err
		}
		// A slot with siAccount is this version's: another name's.
		if r != nil && !hasClass(r, "siAccount") {
			c := countsOf(r)
			*o.to = info.Tries{Failures: c.Failures, LastFailure: c.LastFailure}
		}
	}
	return e, carried, nil
}

// oldTrySlots says whether ou=tries holds any slot of an earlier
// version's layout (no siAccount): one search, at Open.
func (d *Directory) oldTrySlots() (bool, error) {
	var res *ldap.SearchResult
	err := d.do(func(c *ldap.Conn) error {
		var err error
		res, err = c.Search(ldap.NewSearchRequest(d.cfg.triesDN(), ldap.ScopeSingleLevel, ldap.NeverDerefAliases, 1, 0, true,
			"(&(objectClass=siTrySlot)(!(objectClass=siAccount)))", []string{"1.1"}, nil))
		return err
	})
	if ldap.IsErrorWithCode(err, ldap.LDAPResultSizeLimitExceeded) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("look for try slots of an earlier version in %s: %w", d.cfg.triesDN(), err)
	}
	return len(res.Entries) > 0, nil
}

// readEntry reads the slot entry dn; nil if there is none.
func (d *Directory) readEntry(dn string) (*ldap.Entry, error) {
	var res *ldap.SearchResult
	err := d.do(func(c *ldap.Conn) error {
		var err error
		res, err = c.Search(ldap.NewSearchRequest(dn, ldap.ScopeBaseObject, ldap.NeverDerefAliases, 1, 0, false, "(objectClass=siTrySlot)", slotAttrs, nil))
		return err
	})
	if ldap.IsErrorWithCode(err, ldap.LDAPResultNoSuchObject) || (err == nil && len(res.Entries) == 0) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the try slot: %w", err)
	}
	return res.Entries[0], nil
}

// carry adds carried's counts to c's.
func carry(c *info.Counts, carried info.Counts) {
	for _, o := range ownCounts {
		o.of(c).Add(*o.of(&carried))
	}
}

// failureTimes are a slot's (or a person's) pwdFailureTime values, oldest
// first.
func failureTimes(e *ldap.Entry) []string {
	if e == nil {
		return nil
	}
	vs := append([]string(nil), e.GetAttributeValues("pwdFailureTime")...)
	sort.Slice(vs, func(i, j int) bool { return parseGeneralized(vs[i]).Before(parseGeneralized(vs[j])) })
	return vs
}

// UpdateTries calls change on the Counts kept for name, a name that names
// no account, in its slot entry, and writes the result with one modify
// (with the Relax Rules control) that changeCounts makes, as UpdateAccount
// records a person's failures: ppolicy's pwdFailureTime for the
// password's, siAccount's attributes for the others, ppolicy's lock where
// the total reaches the lock-out; one read and one committed write, the
// same requests a person's count costs. A slot not yet there is added
// instead (with the counts, and a random password, so that binds to it
// are checked and counted as a person's are), and then, as in the local
// store, the unlocked slot failed at longest ago is deleted if more
// than info.MaxTrySlots are kept (info.ForgetFirst) (one more search, at a slot's first failure
// only). If change returns an error, nothing is written and that error is
// returned as it is. info.ErrNotSupported where the directory has no
// ou=tries (TriesNote).
//
// The read, change and write are one compare-and-swap, UpdateAccount's
// (changeCounts' assertions), so that regulation's gate (ReserveUnknown)
// lets one check through where it lets one through, also when two
// stations check at once: a write that adds a failure carries an LDAP
// assertion (RFC 4528) that the slot holds no failure later than the
// latest read (noFailureAfter) and each count as read, and a failure
// counted meanwhile (another station, a bind to the slot) fails it;
// another station's add of the same slot, or a change to the values a
// write deletes, fails it too. Then change runs again on a fresh read, at
// most updateAttempts times.
func (d *Directory) UpdateTries(name string, change func(*info.Counts) error) error {
	if d.triesErr != nil {
		return fmt.Errorf("failures of names that name nobody: %w: %w", info.ErrNotSupported, d.triesErr)
	}
	dn := d.slotDN(name)
	for attempt := 1; ; attempt++ {
		e, carried, err := d.readSlot(name)
		if err != nil {
			return err
		}
		old := countsOf(e)
		c := old
		carry(&c, carried)
		if err := change(&c); err != nil {
			return err
		}
		if e == nil {
			err = d.addSlot(dn, c)
		} else {
			err = d.modifySlot(e, old, c)
		}
		// Another station added the slot, counted or cleared a failure,
		// or deleted the slot meanwhile: read it again.
		if attempt < updateAttempts && ldap.IsErrorAnyOf(err, ldap.LDAPResultAssertionFailed, ldap.LDAPResultEntryAlreadyExists,
			ldap.LDAPResultAttributeOrValueExists, ldap.LDAPResultNoSuchAttribute, ldap.LDAPResultNoSuchObject) {
			continue
		}
		if ldap.IsErrorAnyOf(err, ldap.LDAPResultUndefinedAttributeType, ldap.LDAPResultObjectClassViolation) {
			// As UpdateAccount: the check fails closed, and says what to do.
			return fmt.Errorf("record the try: the directory's schema has no siSecondFactorFailures or siAppPasswordFailures yet (load this version's securityinfo.schema): %w", err)
		}
		if err != nil {
			return fmt.Errorf("record the try: %w", err)
		}
		return nil
	}
}

// newFailureTimes are n failure times for a count whose latest failure is
// last: last itself and then a microsecond earlier each, skipping the
// times have already holds (an equal value would be refused).
func newFailureTimes(have []string, last time.Time, n int) []string {
	if last.IsZero() {
		last = time.Now()
	}
	taken := map[string]bool{}
	for _, v := range have {
		taken[generalized(parseGeneralized(v))] = true
	}
	var out []string
	for at := last; len(out) < n; at = at.Add(-time.Microsecond) {
		if v := generalized(at); !taken[v] {
			out = append(out, v)
			taken[v] = true
		}
	}
	return out
}

// modifySlot writes c to the slot entry e, whose counts were read as
// old, with one modify: a person's (changeCounts).
func (d *Directory) modifySlot(e *ldap.Entry, old, c info.Counts) error {
	mod := ldap.NewModifyRequest(e.DN, []ldap.Control{relaxRules})
	asserted, _ := changeCounts(mod, e, old, c)
	if !hasClass(e, "siAccount") {
		// This version's layout (readSlot): an earlier version's slot
		// has its counts carried over in this write.
		mod.Add("objectClass", []string{"siAccount"})
	}
	if len(mod.Changes) == 0 {
		return nil
	}
	if len(asserted) > 0 {
		ctrl, err := assertion("(&" + strings.Join(asserted, "") + ")")
		if err != nil {
			return err
		}
		mod.Controls = append(mod.Controls, ctrl)
	}
	return d.do(func(c *ldap.Conn) error { return c.Modify(mod) })
}

// laterThan is when a count whose failures so far are have records the
// latest of add more: last, or where last is earlier than the latest of
// have (a station whose clock is behind the one that counted before), just
// after that, so that the values newFailureTimes makes from it are all
// later than have's, and another station's assertion that nothing later
// was counted fails. (A last equal to have's latest is kept as it is, so
// a count's latest failure is what change set; two stations' clocks
// agreeing to the microsecond is not a case to guard.)
func laterThan(have []string, last time.Time, add int) time.Time {
	if len(have) == 0 {
		return last
	}
	if last.IsZero() {
		last = time.Now()
	}
	newest := parseGeneralized(have[len(have)-1])
	if last.Before(newest) {
		return newest.Add(time.Duration(max(add, 1)) * time.Microsecond)
	}
	return last
}

// addSlot adds a slot entry holding c, in the attributes a person's
// entry holds them in (changeCounts), then keeps the slots within
// info.MaxTrySlots.
func (d *Directory) addSlot(dn string, c info.Counts) error {
	add := ldap.NewAddRequest(dn, []ldap.Control{relaxRules})
	// siAccount for the counts, and as this version's layout (readSlot).
	add.Attribute("objectClass", []string{"siTrySlot", "siAccount"})
	for _, o := range ownCounts {
		if o.of(&c).Failures > 0 {
			count, last := o.values(&c)
			add.Attribute(o.count, []string{count})
			add.Attribute(o.last, []string{last})
		}
	}
	add.Attribute("cn", []string{strings.TrimPrefix(strings.SplitN(dn, ",", 2)[0], "cn=")})
	// Hashed by the directory on the way in (ppolicy_hash_cleartext) and
	// never kept here: a bind to the slot is checked, and fails, as a
	// bind to a person with a wrong password is.
	add.Attribute("userPassword", []string{randomPassword(24)})
	if n := max(c.Failures, 0); n > 0 {
		add.Attribute("pwdFailureTime", newFailureTimes(nil, c.LastFailure, n))
	}
	if regulation.Default.CountsLocked(c) {
		add.Attribute("pwdAccountLockedTime", []string{permanentLock})
	}
	if err := d.do(func(c *ldap.Conn) error { return c.Add(add) }); err != nil {
		return err
	}
	return d.forgetOldestSlot(dn)
}

// forgetOldestSlot deletes the unlocked slot failed at longest ago (a
// slot with no failures first) while more than info.MaxTrySlots are
// kept, never keep (info.ForgetFirst: a locked slot is never forgotten,
// and locked slots are bounded by the slot key's 16 bits).
func (d *Directory) forgetOldestSlot(keep string) error {
	req := ldap.NewSearchRequest(d.cfg.triesDN(), ldap.ScopeSingleLevel, ldap.NeverDerefAliases, 0, 0, false,
		"(objectClass=siTrySlot)", slotAttrs, nil)
	slots := map[string]keptSlot{}
	err := d.eachPage(req, func(e *ldap.Entry) error {
		if !strings.EqualFold(e.DN, keep) {
			slots[e.DN] = keptSlot{countsOf(e), e.GetAttributeValue("pwdAccountLockedTime") != ""}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("count the try slots: %w", err)
	}
	for len(slots)+1 > info.MaxTrySlots {
		dn, ok := info.ForgetFirst(maps.All(slots))
		if !ok {
			return nil
		}
		delete(slots, dn)
		err := d.do(func(c *ldap.Conn) error { return c.Del(ldap.NewDelRequest(dn, nil)) })
		if err != nil && !ldap.IsErrorWithCode(err, ldap.LDAPResultNoSuchObject) {
			return fmt.Errorf("forget the oldest try slot: %w", err)
		}
	}
	return nil
}

// keptSlot is a slot entry as forgetOldestSlot weighs it: locked where
// its counts lock or ppolicy holds it locked.
type keptSlot struct {
	c      info.Counts
	locked bool
}

func (k keptSlot) Latest() time.Time { return k.c.Latest() }
func (k keptSlot) Locked() bool      { return k.locked || k.c.Locked() }

// randomPassword is n random bytes in base64: a password for a slot that
// nobody keeps, and what a bind to a slot sends instead of what was typed.
func randomPassword(n int) string {
	b := make([]byte, max(n, 1))
	_, _ = rand.Read(b) // crypto/rand.Read never returns an error
	return base64.RawStdEncoding.EncodeToString(b)[:max(n, 1)]
}

// seen is what Account found of a name's slot (seeSlot), for the Bind
// that follows it in a sign-in.
type seen struct {
	at          time.Time
	counts      info.Counts
	lockToWrite bool // locked, but ppolicy's lock not yet written
}

// locked says the slot's counts together lock it.
func (s seen) locked() bool { return regulation.Default.CountsLocked(s.counts) }

// seenFor is how long a slot Account read stands for the Bind after it:
// a sign-in's Bind follows its Account at once.
const seenFor = 5 * time.Second

// lookAtSlot reads name's slot (one search) for the gate before the bind.
func (d *Directory) lookAtSlot(name string) (seen, error) {
	e, carried, err := d.readSlot(name)
	if err != nil {
		return seen{}, err
	}
	counts := countsOf(e)
	carry(&counts, carried)
	s := seen{at: time.Now(), counts: counts}
	s.lockToWrite = s.locked() && e != nil && e.GetAttributeValue("pwdAccountLockedTime") != permanentLock
	return s, nil
}

// seeSlot is Account's search for a name that names nobody: the name's
// slot, read as a person's Account reads the helpdesk group, and kept for
// the Bind that follows (seenSlot), so that a sign-in at a locked name
// makes the searches a sign-in at a locked person does. It returns the
// slot's counts (ok false where it couldn't be read), which Account
// answers with (info.NoAccountError), as a person's Account carries
// theirs, so that the sign-in makes the name's password try wait.
func (d *Directory) seeSlot(name string) (counts info.Counts, ok bool) {
	s, err := d.lookAtSlot(name)
	if err != nil {
		return info.Counts{}, false
	}
	dn := d.slotDN(name)
	d.seenMu.Lock()
	defer d.seenMu.Unlock()
	if d.seen == nil || len(d.seen) >= info.MaxTrySlots {
		d.seen = map[string]seen{} // bounded: stale ones go with the rest
	}
	d.seen[strings.ToLower(dn)] = s
	return s.counts, true
}

// seenSlot takes what seeSlot found of the slot dn, if it is recent.
func (d *Directory) seenSlot(dn string) (seen, bool) {
	d.seenMu.Lock()
	defer d.seenMu.Unlock()
	s, ok := d.seen[strings.ToLower(dn)]
	delete(d.seen, strings.ToLower(dn))
	return s, ok && time.Since(s.at) < seenFor
}

// bindUnknown is Bind for a name that names no account: the requests a
// failed bind as a person makes, on the name's slot. The bind itself goes
// to the slot entry on a connection of its own (the directory checks it
// against the slot's password hash and ppolicy counts the failure, or
// refuses a locked slot, as for a person), with a random password of the
// typed one's length, so nothing typed leaves the station; then the slot
// is read back for its lock and the helpdesk group is asked, as Bind reads
// the person back. A slot not yet there is added then, with this failure
// counted. info.ErrLockedBeforeBind (with no bind) where the counts
// together lock the slot, else ErrLocked or ErrWrongPassword;
// info.ErrNoAccount where the
// directory has no ou=tries, so the caller counts the try itself.
func (d *Directory) bindUnknown(name, credential string) (info.Account, error) {
	if d.triesErr != nil {
		return info.Account{}, info.ErrNoAccount
	}
	dn := d.slotDN(name)
	// A name the counts together lock is refused here, with no bind and
	// no hash, as SignIn.bind refuses a person so locked (AccountLocked)
	// on the counts Account read: Account read the slot in the search a
	// person's Account makes of the helpdesk group (seeSlot), and where
	// it didn't (no Account just before), the slot is read now.
	seen, ok := d.seenSlot(dn)
	if !ok {
		var err error
		if seen, err = d.lookAtSlot(name); err != nil {
			return info.Account{}, err
		}
	}
	if seen.locked() {
		if seen.lockToWrite {
			_ = d.lockEntry(dn) // as lockEverywhere's; the refusal stands whatever this answers
		}
		return info.Account{}, info.ErrLockedBeforeBind
	}
	c, err := d.dial()
	if err != nil {
		return info.Account{}, err
	}
	defer c.Close()
	err = c.Bind(dn, randomPassword(len(credential)))
	if err != nil && (broken(err) || c.IsClosing()) {
		return info.Account{}, unavailable("sign in", err)
	}
	if err != nil && !ldap.IsErrorWithCode(err, ldap.LDAPResultInvalidCredentials) {
		return info.Account{}, fmt.Errorf("sign in: %w", err)
	}
	if err != nil {
		_, _, _ = d.readPerson(dn) // as Bind's read of a refused person (settle)
	}
	e, carried, err := d.readSlot(name)
	if err != nil {
		return info.Account{}, err
	}
	_, _ = d.isHelpdesk(dn) // as Bind's read of the person
	counts := countsOf(e)
	carry(&counts, carried)
	if e == nil {
		// The bind found no entry, so nothing counted it: the slot is
		// made with this failure (and its lock, if it locks).
		counts.Failures, counts.LastFailure = 1, time.Now()
		err := d.addSlot(dn, counts)
		if ldap.IsErrorWithCode(err, ldap.LDAPResultEntryAlreadyExists) {
			// Another station's try made it meanwhile: count in it.
			err = d.UpdateTries(name, func(c *info.Counts) error {
				c.Failures++
				c.LastFailure = time.Now()
				counts = *c
				return nil
			})
		}
		if err != nil {
			return info.Account{}, fmt.Errorf("record the try: %w", err)
		}
	}
	if e != nil && !hasClass(e, "siAccount") {
		// An earlier version's slot: this version's layout from now on,
		// with the counts carried over (once, so that later tries cost
		// what a person's do). A failure counted meanwhile fails the
		// write, and the next try carries over again.
		_ = d.modifySlot(e, countsOf(e), counts)
	}
	if e != nil && e.GetAttributeValue("pwdAccountLockedTime") != "" {
		return info.Account{}, info.ErrLocked
	}
	// The counts together lock the slot as they lock a person, whose
	// sign-in is refused before the bind once they do (SignIn), and
	// whose bind that brings them to the lock-out is answered as a wrong
	// password, and locks the account in the directory.
	if regulation.Default.CountsLocked(counts) {
		if e != nil {
			_ = d.lockEntry(dn) // the refusal stands whatever this answers
		}
		before := counts
		before.Failures--
		if regulation.Default.CountsLocked(before) {
			return info.Account{}, info.ErrLocked
		}
	}
	return info.Account{}, info.ErrWrongPassword
}
