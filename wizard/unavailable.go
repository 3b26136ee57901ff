package wizard

import (
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
)

// ScreenUnavailable is the screen of a method that cannot be set up here.
const ScreenUnavailable = "unavailable"

// Unavailable stands in for a method that cannot be set up: either this
// version has no pages for it yet (Err is nil) or starting it failed (Err
// says why). It never registers anything, so the wizard cannot silently
// skip a required method.
type Unavailable struct {
	Method info.Kind
	Err    error
}

// Kind returns the method that is unavailable.
func (u *Unavailable) Kind() info.Kind { return u.Method }

// Screen is always ScreenUnavailable.
func (u *Unavailable) Screen() string { return ScreenUnavailable }

// Back always hands control back to the host.
func (u *Unavailable) Back() bool { return false }

// Done is always false.
func (u *Unavailable) Done() bool { return false }

// Abort has nothing to discard.
func (u *Unavailable) Abort() {}

// CanBack is always false: there is no screen to go back to.
func (u *Unavailable) CanBack() bool { return false }

var _ method.Backer = (*Unavailable)(nil)
