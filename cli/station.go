package cli

import (
	"crypto/rand"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// StationSecret names the kiosk station passphrase's keyring item; it
// holds an argon2id hash of the passphrase, never the passphrase.
const StationSecret = "station-passphrase"

const stationUsage = `Usage:
  securityinfo [--data-dir DIR] station passphrase   set the kiosk passphrase (prompt, or one line on stdin)

A kiosk station (mode = "kiosk" or --kiosk) asks for this passphrase before
its window may close. Only a salted hash of it is kept, in the OS keyring.
`

func runStation(g Globals, env Env) error {
	args := g.Rest[1:]
	if g.Help {
		fmt.Fprint(env.Stdout, stationUsage)
		return nil
	}
	if len(args) != 1 || args[0] != "passphrase" {
		fmt.Fprint(env.Stderr, stationUsage)
		return fmt.Errorf("%w: use station passphrase", errUsage)
	}
	dir, err := openDir(g, env)
	if err != nil {
		return err
	}
	defer dir.Close()
	ps, ok := dir.(info.Store)
	if !ok {
		return errors.New("this directory can't keep a station passphrase")
	}
	pass, err := readNewPassword("this station", env)
	if err != nil {
		return err
	}
	if utf8.RuneCountInString(pass) < 12 {
		return errors.New("use a passphrase of at least 12 characters: nothing was saved")
	}
	hash, err := wizard.HashSecret(pass, rand.Reader)
	if err != nil {
		return err
	}
	if err := ps.SetStationSecret(StationSecret, []byte(hash)); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, "saved the station passphrase (as a hash, in the keyring)")
	return nil
}

// CheckStationPassphrase checks a typed passphrase against the one set
// with `station passphrase`.
func CheckStationPassphrase(dir info.Store, typed string) error {
	ps, ok := dir.(info.Store)
	if !ok {
		return errors.New("this directory can't keep a station passphrase")
	}
	hash, err := ps.StationSecret(StationSecret)
	if errors.Is(err, info.ErrSecretNotFound) {
		return errors.New("no station passphrase is set: set one with 'securityinfo station passphrase'")
	}
	if err != nil {
		return err
	}
	ok, err = wizard.CheckSecret(string(hash), typed)
	if err != nil {
		return fmt.Errorf("checking the passphrase: %w", err)
	}
	if !ok {
		return errors.New("that passphrase isn't right")
	}
	return nil
}
