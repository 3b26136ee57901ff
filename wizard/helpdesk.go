package wizard

import (
	"errors"
	"fmt"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/regulation"
	"github.com/securityinfo/securityinfo/wizard/tap"
	"github.com/securityinfo/securityinfo/wizard/words"
)

// The helpdesk operations: an operator signed in on a helpdesk station
// finds accounts, sees their methods, removes them, unlocks accounts and
// issues Temporary Access Passes. Each checks at its start that an
// operator is signed in on the helpdesk page (and, for a change, proved a
// second factor recently: operating), does its work (which may be
// slow: call it off the UI thread), and records it in the audit log with
// the operator as actor, even if the operator is signed out meanwhile.

// Errors of the helpdesk's powers.
var (
	// ErrOperatorNeedsSecondFactor means an operator without a second
	// factor tried to use a helpdesk station: its powers (resets, passes)
	// must never rest on a password alone.
	ErrOperatorNeedsSecondFactor = words.New("helpdesk operator without a second factor",
		"Helpdesk staff need a second factor (an authenticator app, a phone or a security key) to use this station. Register one at your own desk or at a kiosk first.")
	// ErrNotForOperators means an operator tried to change the security
	// info of a helpdesk account, their own included: another operator's
	// takeover, or their own second factor, must go through an
	// administrator.
	ErrNotForOperators = words.New("the helpdesk can't change a helpdesk account's security info",
		"Helpdesk accounts, yours included, can't be reset, unlocked or given a pass here. Ask an administrator.")
	// ErrDisabledByAdministrator means an operator tried to unlock an
	// account an administrator disabled in the directory
	// (info.Account.Disabled): lifting that is the administrator's
	// ('securityinfo user unlock'), never the helpdesk's, or an operator
	// could let back in someone the organisation shut out.
	ErrDisabledByAdministrator = words.New("the account was disabled by an administrator: the helpdesk can't unlock it",
		"Disabled in the directory by an administrator. Unlocking it is for them, not the helpdesk.")
)

// operating returns the operator's session for one of the helpdesk's
// powers (a pass, a removal, a reset, an unlock): on the helpdesk page,
// with a second factor proved in this session less than ReauthAge ago,
// as every change of security info needs. Else ErrReauthNeeded: the
// operator confirms it's them (OpenVerify), returns here, and asks again.
// (An operator always has a second factor: the station's sign-in asks for
// one.)
func (f *Flow) operating() (session, error) {
	s, err := f.on(PageHelpdesk)
	if err != nil {
		return s, err
	}
	if !f.Fresh() {
		return session{}, ErrReauthNeeded
	}
	return s, nil
}

// target reads the account an operator's change is for, and refuses a
// helpdesk account or the operator's own: the same account as the stores
// tell accounts apart (info.AccountKey).
func (f *Flow) target(op, account string) (info.Account, error) {
	a, err := f.cfg.Dir.Account(account)
	if err != nil {
		return info.Account{}, fmt.Errorf("reading the account: %w", err)
	}
	if a.Helpdesk || info.AccountKey(a.Name) == info.AccountKey(op) {
		return info.Account{}, ErrNotForOperators
	}
	return a, nil
}

// SearchLimit is how many accounts a helpdesk search shows at most.
const SearchLimit = 20

// ErrShortQuery means a helpdesk search of fewer than two characters,
// which finds nothing: a search never walks the whole directory for one
// letter.
var ErrShortQuery = words.New("type at least 2 characters of the account name",
	"Type at least 2 characters of the account name.")

// FindAccounts lists the names of accounts containing query for the
// signed-in helpdesk operator, at most SearchLimit of them, in name order;
// more says there were further matches. A query under two characters finds
// nothing: ErrShortQuery. It reads storage.
func (f *Flow) FindAccounts(query string) (names []string, more bool, err error) {
	if _, err := f.on(PageHelpdesk); err != nil {
		return nil, false, err
	}
	q := info.AccountKey(query) // as names compare: the stores match it against their keys
	if len([]rune(q)) < 2 {
		return nil, false, ErrShortQuery
	}
	err = f.cfg.Dir.EachAccount(q, SearchLimit+1, func(a info.Account) error {
		names = append(names, a.Name)
		return nil
	})
	if len(names) > SearchLimit {
		names, more = names[:SearchLimit], true
	}
	return names, more, err
}

// AccountSummary is what an operator sees of an account: never a secret,
// nor a hash of one, nor a whole phone number (Label is masked).
type AccountSummary struct {
	// Name is the account's name as first given.
	Name string
	// Locked says the account can't sign in after too many failures (or
	// the directory locked it): UnlockAccount helps. Never with Disabled.
	Locked bool
	// Disabled says an administrator disabled the account in the
	// directory (info.Account.Disabled), whatever its counts say:
	// UnlockAccount refuses it (ErrDisabledByAdministrator).
	Disabled bool
	// Methods are its registered methods, oldest first.
	Methods []info.Method
	// Pass is its Temporary Access Pass, if it has one (used or expired
	// ones included, until they are replaced or revoked).
	Pass *PassStatus
}

// PassStatus is what an operator sees of a Temporary Access Pass: never
// the pass nor its hash.
type PassStatus struct {
	Issued, Expires time.Time
	OneTime         bool
	// Used says a one-time pass was used (at UsedAt).
	Used   bool
	UsedAt time.Time
	// Active says it would sign in now: not expired, not used up.
	Active bool
}

// LookUp returns what the operator may see of the named account.
func (f *Flow) LookUp(name string) (AccountSummary, error) {
	if _, err := f.on(PageHelpdesk); err != nil {
		return AccountSummary{}, err
	}
	a, err := f.cfg.Dir.Account(name)
	if err != nil {
		return AccountSummary{}, fmt.Errorf("reading the account: %w", err)
	}
	ms, err := f.cfg.Dir.Methods(a.Name)
	if err != nil {
		return AccountSummary{}, fmt.Errorf("reading its security info: %w", err)
	}
	for i := range ms {
		ms[i] = ms[i].Public()
	}
	// An account both disabled and locked by its counts is shown as
	// disabled: unlocking it would not let it sign in, and is not the
	// operator's to do.
	locked := (a.Locked || regulation.Default.AccountLocked(a)) && !a.Disabled
	sum := AccountSummary{Name: a.Name, Locked: locked, Disabled: a.Disabled, Methods: ms}
	p, err := f.cfg.Dir.GetPass(a.Name)
	switch {
	case err == nil:
		now := f.cfg.Now()
		sum.Pass = &PassStatus{Issued: p.Issued, Expires: p.Expires, OneTime: p.OneTime, Used: p.Used, UsedAt: p.UsedAt,
			Active: now.Before(p.Expires) && !(p.OneTime && p.Used)}
	case !errors.Is(err, info.ErrNoPass):
		return AccountSummary{}, fmt.Errorf("reading its pass: %w", err)
	}
	return sum, nil
}

// RevokePassOf ends account's Temporary Access Pass for the operator, and
// records it.
func (f *Flow) RevokePassOf(account string) error {
	op, err := f.operating()
	if err != nil {
		return err
	}
	if _, err := f.target(op.account, account); err != nil {
		return err
	}
	if err := tap.Revoke(f.cfg.Dir, account); err != nil {
		return fmt.Errorf("revoking the pass: %w", err)
	}
	return f.auditDone(op.account, info.ActionTAPRevoked, account, "")
}

// RemoveMethodOf removes one of account's methods (and its secret) for the
// operator, and records it; a recovery code takes its whole set with it,
// recorded once, as Delete on the Security info page does.
func (f *Flow) RemoveMethodOf(account string, m info.Method) error {
	op, err := f.operating()
	if err != nil {
		return err
	}
	if _, err := f.target(op.account, account); err != nil {
		return err
	}
	// What is removed is what the store holds under m.ID: the caller's
	// copy only names it.
	stored, ms, err := f.find(account, m.ID)
	if err != nil {
		return fmt.Errorf("removing the method: %w", err)
	}
	if err := f.removeMethod(account, stored, ms); err != nil {
		return fmt.Errorf("removing the method: %w", err)
	}
	return f.auditDone(op.account, info.ActionMethodRemoved, account, string(stored.Kind))
}

// ResetAccount removes every method of account for the operator, so that
// its owner registers again at their next sign-in, and records how many
// went, also when only some could be removed.
func (f *Flow) ResetAccount(account string) (int, error) {
	op, err := f.operating()
	if err != nil {
		return 0, err
	}
	if _, err := f.target(op.account, account); err != nil {
		return 0, err
	}
	n, err := f.cfg.Dir.RemoveAllMethods(account)
	aerr := f.auditDone(op.account, info.ActionReset, account, words.Plural(n, "method", "methods")+" removed")
	if err == nil {
		err = aerr
	} else if aerr != nil {
		err = fmt.Errorf("%w; %w", err, aerr)
	}
	if err != nil {
		return n, fmt.Errorf("resetting the account: %w", err)
	}
	return n, nil
}

// UnlockAccount clears account's failed sign-ins and lock for the
// operator (info.Store.Unlock), and records it. An account an
// administrator disabled is refused with ErrDisabledByAdministrator,
// unchanged and unrecorded: Store.Unlock would lift the administrator's
// lock too.
func (f *Flow) UnlockAccount(account string) error {
	op, err := f.operating()
	if err != nil {
		return err
	}
	// Read afresh by target, not taken from what the page showed: the
	// administrator may have disabled it since.
	a, err := f.target(op.account, account)
	if err != nil {
		return err
	}
	if a.Disabled {
		return ErrDisabledByAdministrator
	}
	if err := f.cfg.Dir.Unlock(account); err != nil {
		return fmt.Errorf("unlocking the account: %w", err)
	}
	return f.auditDone(op.account, info.ActionUnlock, account, "")
}

// IssuedPass is a Temporary Access Pass just issued, to be shown once: it
// is kept nowhere else.
type IssuedPass struct {
	// Pass is the pass as generated.
	Pass string
	// Formatted is the pass in groups of four joined by dashes, for
	// reading out.
	Formatted string
	// Expires is when it stops working.
	Expires time.Time
	// OneTime says it works for one sign-in only.
	OneTime bool
}

// IssuePass gives account a new Temporary Access Pass for the operator,
// replacing any it had, valid for lifetime (tap.MinLifetime to
// tap.MaxLifetime; 0 means tap.DefaultLifetime), once only if oneTime, and
// records it (never the pass). It is slow on purpose (argon2id).
func (f *Flow) IssuePass(account string, lifetime time.Duration, oneTime bool) (IssuedPass, error) {
	op, err := f.operating()
	if err != nil {
		return IssuedPass{}, err
	}
	if _, err := f.target(op.account, account); err != nil {
		return IssuedPass{}, err
	}
	if lifetime == 0 {
		lifetime = tap.DefaultLifetime
	}
	now := f.cfg.Now()
	pass, err := tap.Issue(f.cfg.Dir, account, lifetime, oneTime, now, f.cfg.Rand)
	if err != nil {
		return IssuedPass{}, fmt.Errorf("issuing the pass: %w", err)
	}
	if err := f.auditOrRefuse(op.account, info.ActionTAPIssued, account, fmt.Sprintf("lifetime %s, one-time %v", lifetime, oneTime)); err != nil {
		// A pass nobody can trace must not exist: take it back (only
		// this one: not a pass another operator issued meanwhile).
		if rerr := tap.Withdraw(f.cfg.Dir, account, pass, now); rerr != nil {
			return IssuedPass{}, fmt.Errorf("%w; taking the pass back also failed: %w", err, rerr)
		}
		return IssuedPass{}, err
	}
	return IssuedPass{Pass: pass, Formatted: tap.Format(pass), Expires: now.Add(lifetime), OneTime: oneTime}, nil
}
