package tap

import (
	"errors"
	"fmt"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/secret"
)

// Verifier is what sign-in uses to accept a pass typed where the password
// goes, recording the pass's use or expiry in the audit log. (Package
// wizard cannot import this one; the app wires Verifier.SignIn into
// wizard.SignIn.)
type Verifier struct {
	// Passes holds the passes.
	Passes info.Store
	// Audit, if not nil, gets a tap-used entry for each sign-in with a
	// pass and a tap-expired entry for each try with an expired one.
	Audit info.Store
	// Station names this machine in audit entries.
	Station string
}

// SignIn checks typed as account's pass at now, like Check, and sorts the
// outcome for sign-in: (true, nil) is a sign-in with a pass; (false, nil)
// means it is not the pass (or there is none), so the ordinary wrong
// password path applies; (false, err) is an error to show the person as
// it is: the pass expired (errors.Is ErrExpired) or was used (ErrUsed), or
// the store failed. If the audit entry cannot be written the sign-in
// fails. It is slow on purpose, one argon2id check whether or not the
// account has a pass: call it off the UI thread.
func (v *Verifier) SignIn(account, typed string, now time.Time) (bool, error) {
	err := Check(v.Passes, account, typed, now)
	switch {
	case err == nil:
		if err := v.record(account, info.ActionTAPUsed, "signed in with a Temporary Access Pass", now); err != nil {
			return false, err
		}
	case errors.Is(err, ErrExpired):
		var ee *ExpiredError
		detail := "sign-in refused: the pass expired"
		if errors.As(err, &ee) {
			detail = "sign-in refused: the pass expired at " + ee.At.UTC().Format(time.RFC3339)
		}
		if aerr := v.record(account, info.ActionTAPExpired, detail, now); aerr != nil {
			return false, aerr
		}
	}
	return outcome(err, typed)
}

// Peek checks typed as account's pass at now and sorts the outcome as
// Verifier.SignIn does, with the same one argon2id check whether or not
// the account has a pass, but uses nothing and records nothing: for a
// sign-in that may be refused once the credentials are proved right (at
// a helpdesk station: anyone but an operator with a second factor to
// prove), so that a one-time pass tried there still works where it is
// meant to, and the refusal still comes only to someone who typed the
// right pass.
func Peek(dir info.Store, account, typed string, now time.Time) (bool, error) {
	return outcome(check(dir, account, typed, now, false), typed)
}

// outcome sorts a check's answer for sign-in (SignIn, Peek). Where the
// account has no pass it costs what a check costs, so the time taken
// does not tell whether the account has one.
func outcome(err error, typed string) (bool, error) {
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, ErrNoPass):
		secret.Dummy(Normalise(typed))
		return false, nil
	case errors.Is(err, ErrNoMatch):
		return false, nil
	default:
		return false, err
	}
}

func (v *Verifier) record(account, action, detail string, now time.Time) error {
	if v.Audit == nil {
		return nil
	}
	err := v.Audit.AppendAudit(info.AuditEntry{
		Time: now.UTC(), Actor: account, Account: account, Action: action, Station: v.Station, Detail: detail,
	})
	if err != nil {
		return fmt.Errorf("recording the sign-in in the audit log: %w", err)
	}
	return nil
}
