package station

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
	"unicode/utf8"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/regulation"
	"github.com/securityinfo/securityinfo/wizard/secret"
)

// MinPassphrase is the fewest characters a station passphrase may have.
const MinPassphrase = 12

// Passphrase errors, checked with errors.Is; their text is what the person
// at the station sees.
var (
	ErrNoPassphrase    = errors.New("no station passphrase is set: set one with 'securityinfo station passphrase'")
	ErrWrongPassphrase = errors.New("that passphrase isn't right")
	ErrShortPassphrase = fmt.Errorf("use a passphrase of at least %d characters", MinPassphrase)
)

// WaitError says the passphrase can't be tried yet after repeated wrong
// ones (the station's rule in wizard/regulation).
type WaitError = regulation.WaitError

// failures is the persisted back-off state of the passphrase.
type failures struct {
	Count int       `json:"count"`
	Last  time.Time `json:"last"`
}

// SetPassphrase keeps an argon2id hash of pass (salted from rand) as the
// station passphrase and forgets earlier wrong guesses. The passphrase
// itself is never stored.
func SetPassphrase(s info.Store, pass string, rand io.Reader) error {
	if utf8.RuneCountInString(pass) < MinPassphrase {
		return ErrShortPassphrase
	}
	hash, err := secret.Hash(pass, rand)
	if err != nil {
		return fmt.Errorf("hashing the passphrase: %w", err)
	}
	if err := put(s, PassphraseSecret, "the station passphrase", []byte(hash)); err != nil {
		return err
	}
	if err := s.DeleteStationSecret(passphraseFailures); err != nil {
		return fmt.Errorf("forgetting earlier wrong passphrases: %w", err)
	}
	return nil
}

// SnapshotPassphrase remembers the passphrase and its back-off state, so
// that SetPassphrase can be undone (see Snapshot).
func SnapshotPassphrase(s info.Store) (restore func() error, err error) {
	return Snapshot(s, PassphraseSecret, passphraseFailures)
}

// CheckPassphrase checks a typed passphrase at time now. After three
// wrong ones in a row each further try must wait (regulation.Station: 1 s,
// doubling, at most 15 minutes), and the count is kept with the station's
// secrets, so restarting the app does not reset it; the right passphrase
// does. It returns nil, ErrWrongPassphrase, *WaitError, ErrNoPassphrase,
// or an error reading the store (a damaged back-off record included:
// the station then stays closed to guesses until the passphrase is set
// again).
func CheckPassphrase(s info.Store, typed string, now time.Time) error {
	f, err := loadFailures(s)
	if err != nil {
		return err
	}
	if err := regulation.Station.Check(regulation.State{Failures: f.Count, Last: f.Last}, now); err != nil {
		return err
	}
	hash, err := s.StationSecret(PassphraseSecret)
	if errors.Is(err, info.ErrSecretNotFound) {
		return ErrNoPassphrase
	}
	if err != nil {
		return fmt.Errorf("reading the station passphrase: %w", err)
	}
	ok, err := secret.Check(string(hash), typed)
	if err != nil {
		return fmt.Errorf("checking the station passphrase: %w", err)
	}
	if !ok {
		f.Count++
		f.Last = now.UTC()
		if err := saveFailures(s, f); err != nil {
			return fmt.Errorf("%w (and recording the failure failed: %w)", ErrWrongPassphrase, err)
		}
		return ErrWrongPassphrase
	}
	if f.Count > 0 {
		// The passphrase was right: the station may close even if the
		// count can't be cleared now; a stale count only lengthens the
		// wait after a later wrong guess.
		_ = s.DeleteStationSecret(passphraseFailures)
	}
	return nil
}

func loadFailures(s info.Store) (failures, error) {
	var f failures
	raw, err := s.StationSecret(passphraseFailures)
	if errors.Is(err, info.ErrSecretNotFound) {
		return f, nil
	}
	if err != nil {
		return f, fmt.Errorf("reading the passphrase's failed attempts: %w", err)
	}
	if err := json.Unmarshal(raw, &f); err != nil || f.Count < 0 {
		return failures{}, errors.New("the record of wrong passphrases is damaged: set the passphrase again with 'securityinfo station passphrase'")
	}
	return f, nil
}

func saveFailures(s info.Store, f failures) error {
	raw, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("encoding failed attempts: %w", err)
	}
	return put(s, passphraseFailures, "the passphrase's failed attempts", raw)
}
