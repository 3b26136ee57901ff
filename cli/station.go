package cli

import (
	"crypto/rand"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/station"
)

// changeStation makes a change to the station's own settings and records
// it; if the record can't be written, the change is undone, so that no
// credential changes unrecorded. snapshot remembers the station secrets
// the change touches (station.Snapshot); an error that ends in "nothing was
// changed" says so.
func changeStation(s info.Store, snapshot func() (func() error, error), change func() error, action, detail string) error {
	restore, err := snapshot()
	if err != nil {
		return fmt.Errorf("%w: nothing was changed", err)
	}
	if err := change(); err != nil {
		// A change of two secrets may have made the first.
		if rerr := restore(); rerr != nil {
			return fmt.Errorf("%w; undoing what was done failed too (%w): set it again", err, rerr)
		}
		return err
	}
	if err := record(s, "", action, detail); err != nil {
		if rerr := restore(); rerr != nil {
			return fmt.Errorf("%w, and undoing the change failed too (%w): set it again", err, rerr)
		}
		return fmt.Errorf("%w: nothing was changed", err)
	}
	return nil
}

// snapshotOf is a snapshot of the named station secrets for changeStation.
func snapshotOf(s info.Store, names ...string) func() (func() error, error) {
	return func() (func() error, error) { return station.Snapshot(s, names...) }
}

// notSaved adds "nothing was saved" to a refused credential.
func notSaved(err error) error {
	if errors.Is(err, station.ErrInvalid) || errors.Is(err, station.ErrTooLong) || errors.Is(err, station.ErrShortPassphrase) {
		return fmt.Errorf("%w: nothing was saved", err)
	}
	return err
}

func (c *command) stationCmd() *cobra.Command {
	passphrase := &cobra.Command{
		Use:   "passphrase",
		Short: "Set the passphrase a kiosk station asks before it closes",
		Long: `Sets the passphrase a kiosk station (mode = "kiosk" or --kiosk) asks before
its window may close: asked twice on a terminal, or one line on stdin, at
least 12 characters. Only a salted hash of it is kept, in the OS keyring.
Setting it also clears the wait after wrong guesses.`,
		Args: exactArgs(0, false, "station passphrase takes no arguments"),
		RunE: act(func(*cobra.Command, []string) error {
			return c.withStore(func(s info.Store) error {
				pass, err := c.readNewPassword("Passphrase for this station: ", "nothing was saved")
				if err != nil {
					return err
				}
				snapshot := func() (func() error, error) { return station.SnapshotPassphrase(s) }
				set := func() error { return station.SetPassphrase(s, pass, rand.Reader) }
				if err := changeStation(s, snapshot, set, station.ActionPassphraseSet, ""); err != nil {
					return notSaved(err)
				}
				fmt.Fprintln(c.out(), "saved the station passphrase (as a hash, in the keyring)")
				return nil
			})
		}),
	}
	return c.group("station", "Set this station's own settings", `Sets what a station keeps for itself, such as the passphrase a kiosk asks
before it closes.`, passphrase)
}
