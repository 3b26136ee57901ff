package wizard

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/secret"
)

// The demo account that demo mode creates and hints on the sign-in page.
// Its password is public on purpose: it exists only in demo mode.
const (
	DemoAccount  = "demo@contoso.example"
	DemoPassword = "contoso-demo-2026"
)

// EnsureDemoAccount creates the demo account if it is missing and reports
// whether it did.
func EnsureDemoAccount(dir info.Store, now time.Time, rand io.Reader) (bool, error) {
	if _, err := dir.Account(DemoAccount); err == nil {
		return false, nil
	} else if !errors.Is(err, info.ErrNoAccount) {
		return false, fmt.Errorf("looking up the demo account: %w", err)
	}
	hash, err := secret.Hash(DemoPassword, rand)
	if err != nil {
		return false, err
	}
	err = dir.CreateAccount(info.Account{Name: DemoAccount, PasswordHash: hash, Created: now.UTC()})
	if err != nil && !errors.Is(err, info.ErrAccountExists) {
		return false, fmt.Errorf("creating the demo account: %w", err)
	}
	return err == nil, nil
}
