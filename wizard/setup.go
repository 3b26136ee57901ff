package wizard

import (
	"io"
	"time"

	"github.com/securityinfo/securityinfo/storage"
)

// Setup is one method's registration in progress, driven by the wizard host.
// A method package (for example wizard/authapp) implements it with its own
// screens and input operations; the host only needs these.
type Setup interface {
	// Kind says which method this registers.
	Kind() storage.MethodKind
	// Screen names the method's current screen, e.g. "authapp.scan".
	Screen() string
	// Back moves to the method's previous screen; it returns false on the
	// first screen, where the host takes over.
	Back() bool
	// Done reports whether the method has been registered: its test passed
	// and it was stored.
	Done() bool
	// Abort discards anything pending (zeroing secrets held in memory).
	// Nothing is stored by an aborted setup.
	Abort()
}

// SetupContext is what the host hands a method when it starts registering.
type SetupContext struct {
	// Policy is the organisation's policy in force.
	Policy Policy
	// Account is the signed-in account's name.
	Account string
	// Dir is where a method is stored once its test succeeds.
	Dir storage.Directory
	// Now is the injected clock.
	Now func() time.Time
	// Rand is the injected source of randomness (crypto/rand in the app).
	Rand io.Reader
}

// SetupFactory starts a fresh registration of one method.
type SetupFactory func(SetupContext) (Setup, error)
