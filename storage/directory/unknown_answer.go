package directory

import (
	"sync"
	"time"

	"github.com/go-ldap/ldap/v3"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// Where the directory enforces people's authenticator apps at bind, a
// person with an app is asked for the code before anything is checked,
// and a person without one is refused at the bind ("That account name or
// password isn't right"). A name that names nobody must answer as one of
// the two, or its answer tells that it names nobody, and a person's
// answer that they exist: if every such name answered as a person with
// an app, one try per name found every person without one. So each such
// name answers as a stand-in person, with an app or without, chosen by
// its try slot (info.TrySlot with siTryKey, the key every station reads):
// the same name answers the same every time, at every station, and so
// do two names that share a slot (they share its counts too, as one
// stand-in). Slots below a threshold answer as people with an app, and
// the threshold is the share of the directory's people who have one, so
// that either answer is as likely of a name that names nobody as of a
// person, and tells nothing of which it is. As people register apps the
// share grows and slots near the threshold turn to asking for the code,
// as those people's own answers turn; never the other way while the
// share grows.
//
// The share is counted with one paged search of the people (their
// oathTOTPToken link) at the first ask, and again in the background at
// the first ask after shareFor, the share counted before standing
// meanwhile: at 100,000 people the search takes seconds
// (BenchmarkDirectory_ShareCount), which nobody should wait for. The app
// asks right after its first frame (SignIn.Prepare), in the background;
// a sign-in that comes before that count ends waits for it. Every
// sign-in asks (SignIn asks for every name, a person's too), so a count
// a sign-in waits for costs whichever name comes, never unknown names
// only. Stations count at different times, so for up to
// shareFor two stations' thresholds may differ by the registrations made
// meanwhile: a name whose slot lies between them answers differently at
// the two, a tiny share of names (one registration among a thousand
// people: one name in a thousand) for a short while.

// shareFor is how long a count of the people with an app stands.
const shareFor = time.Hour

// shareRetry is how soon a count that failed is tried again; meanwhile
// the previous share stands (one half if there was none).
const shareRetry = time.Minute

// appShare is the directory's share of people with an app, as a
// threshold on a 16-bit slot.
type appShare struct {
	mu        sync.Mutex
	threshold uint32    // slots below it answer as people with an app
	next      time.Time // when to count again (zero: never counted)
	counting  bool      // a count runs in the background
	// key is the slots' key where the directory has no ou=tries
	// (TriesNote): one of this process's own, so that a name still
	// answers the same at this station until it restarts.
	key []byte
}

// UnknownCodeAtBind says whether a name that names nobody answers as a
// person with an app the directory enforces at bind (info.Store): by its
// try slot, in the share of the directory's people who have an app. The
// share is counted again once it is older than shareFor, whatever the name.
func (d *Directory) UnknownCodeAtBind(name string) (bool, error) {
	a := &d.answers
	a.mu.Lock()
	defer a.mu.Unlock()
	now := time.Now()
	switch {
	case a.next.IsZero():
		with, people, err := d.countApps()
		a.counted(with, people, err, now)
	case !now.Before(a.next) && !a.counting:
		a.counting = true
		go func() {
			with, people, err := d.countApps()
			a.mu.Lock()
			defer a.mu.Unlock()
			a.counting = false
			a.counted(with, people, err, time.Now())
		}()
	}
	key := d.triesKey
	if len(key) == 0 {
		if a.key == nil {
			a.key = info.NewTryKey()
		}
		key = a.key
	}
	return uint32(info.TrySlot(key, name)) < a.threshold, nil
}

// counted sets the threshold from a count of people (with an app, of
// people) made at now, or keeps the one before if the count failed (one
// half if there was none) and tries again after shareRetry. a.mu is held.
func (a *appShare) counted(with, people uint64, err error, now time.Time) {
	switch {
	case err != nil:
		if a.next.IsZero() {
			a.threshold = 1 << 15
		}
		a.next = now.Add(shareRetry)
	case people == 0:
		// Nobody to tell a name from: as before the share was counted.
		a.threshold, a.next = 1<<16, now.Add(shareFor)
	default:
		a.threshold, a.next = uint32((with<<16+people/2)/people), now.Add(shareFor)
	}
}

// countApps counts the directory's people and those of them with an
// authenticator app the directory enforces at bind (Account.CodeAtBind:
// an oathTOTPToken link), one page at a time.
func (d *Directory) countApps() (with, people uint64, err error) {
	req := ldap.NewSearchRequest(d.cfg.peopleDN(), ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false,
		"(objectClass=inetOrgPerson)", []string{"oathTOTPToken"}, nil)
	err = d.eachPage(req, func(e *ldap.Entry) error {
		people++
		if e.GetAttributeValue("oathTOTPToken") != "" {
			with++
		}
		return nil
	})
	return with, people, err
}
