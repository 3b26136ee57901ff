package wizard

import (
	"errors"
	"fmt"
	"strings"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/recovery"
	"github.com/securityinfo/securityinfo/wizard/regulation"
)

// A person whose authenticator app the directory enforces at every bind
// (Account.CodeAtBind) and who lost their phone types a recovery code
// where the app's code goes. Appended to the password it would be refused
// by slapo-otp and counted by ppolicy as a wrong password, so it never
// reaches the bind: text shaped like a recovery code (recovery.Normalise:
// 12 letters and digits, never a 6-digit code) is checked as one first,
// gated and counted on the second factor's count, as at the verify page.
// Only a right code goes on to the bind, where the directory proves the
// password, with the app's code computed by the station from the key it
// may read (info.Store.BindProved). So a recovery code alone signs nobody
// in, a wrong one is no password guess, and the password is only tried
// with a right code. The code is used (removed) once the bind succeeded:
// a mistyped password doesn't cost the person a code, and of two stations
// using one code at once only the one that removes it signs in.

// recoveryShaped reports whether code, typed where the authenticator code
// goes, is shaped like a recovery code.
func recoveryShaped(code string) bool {
	_, ok := recovery.Normalise(code)
	return ok
}

// bindWithRecoveryCode signs in acct, whose directory enforces their app,
// with their password and a recovery code (recoveryShaped) typed where
// the app's code goes. Every refusal reads as a wrong password or code
// (ErrBadCredentialsOrCode), as a name that names nobody is refused
// (unknownRecoveryCode); a wait or a lock as they are.
func (s *SignIn) bindWithRecoveryCode(acct info.Account, password, code string) (info.Account, bool, error) {
	now := s.Now()
	if err := regulation.Default.ReserveFactor(s.Dir, acct.Name, regulation.SecondFactor, now); err != nil {
		return info.Account{}, false, gateError(err)
	}
	id, err := recovery.Find(s.Dir, acct.Name, code)
	if errors.Is(err, recovery.ErrWrongCode) {
		return info.Account{}, false, ErrBadCredentialsOrCode // counted
	}
	if err != nil {
		// No guess was checked (the directory didn't answer): take the
		// failure back.
		_ = regulation.Release(s.Dir, acct.Name, regulation.SecondFactor)
		return info.Account{}, false, fmt.Errorf("checking the recovery code: %w", err)
	}
	a, err := s.Dir.BindProved(acct.Name, password)
	if err != nil {
		// The code was right; the password is counted by the directory.
		_ = regulation.Release(s.Dir, acct.Name, regulation.SecondFactor)
		return info.Account{}, false, s.bindRefused(acct, err)
	}
	if s.Admit != nil {
		admit, err := s.Admit(acct)
		if err != nil {
			_ = regulation.Release(s.Dir, acct.Name, regulation.SecondFactor)
			return info.Account{}, false, fmt.Errorf("reading security info: %w", err)
		}
		if !admit {
			// This station will refuse the person once they are proved
			// (a helpdesk station, and not a helpdesk account that can
			// prove a second factor here): the code is kept for where
			// it is meant to be used, as a pass is (tap.Peek), and
			// clears nothing.
			_ = regulation.Release(s.Dir, acct.Name, regulation.SecondFactor)
			return a, false, nil
		}
	}
	if err := s.Dir.RemoveMethod(acct.Name, id); err != nil {
		if errors.Is(err, info.ErrNoMethod) {
			// Used meanwhile, at another station: a replay, counted.
			return info.Account{}, false, ErrBadCredentialsOrCode
		}
		return info.Account{}, false, fmt.Errorf("using the recovery code: %w", err)
	}
	if err := regulation.RecordFactor(s.Dir, acct.Name, regulation.SecondFactor, true, now); err != nil {
		return info.Account{}, false, fmt.Errorf("recording sign-in: %w", err)
	}
	a.SecondFactorTries = info.Tries{} // as just recorded; a was read before
	return a, false, nil
}

// unknownRecoveryCode is bindWithRecoveryCode for a name that names
// nobody, where people may have an app the directory enforces (AppAtBind):
// gated and counted on the name's slot as a person's second factor, the
// methods read and the argon2id checks of a wrong code (recovery.Decoy),
// and the same answer; no bind, as none follows a person's wrong code.
func (s *SignIn) unknownRecoveryCode(name, code string) error {
	if err := regulation.Default.ReserveUnknown(s.Dir, name, regulation.SecondFactor, s.Now()); err != nil {
		return gateError(err)
	}
	_ = recovery.Decoy(s.Dir, name, code)
	return ErrBadCredentialsOrCode
}

// recoveryAtBind says whether a try at name with code is a recovery code
// typed where the app's code goes, for a person whose app the directory
// enforces at every bind or a name that names nobody answering as one
// (codeAtBind): checked as such (bindWithRecoveryCode,
// unknownRecoveryCode), never sent to the bind.
func (s *SignIn) recoveryAtBind(name string, codeAtBind bool, code string) bool {
	return codeAtBind && recoveryShaped(code) && strings.TrimSpace(name) != ""
}
