package directory

import (
	"fmt"

	"github.com/go-ldap/ldap/v3"

	"github.com/securityinfo/securityinfo/wizard/regulation"
)

// ClearPasswordFailures clears ppolicy's count of the person's wrong
// passwords (pwdFailureTime) and its lock (pwdAccountLockedTime), as
// Unlock does, and leaves the app's own counts (ownCounts: the second
// factor's, app passwords'): after a self-service password reset, which
// proves nothing of the app passwords guessed at a mail server.
func (d *Directory) ClearPasswordFailures(name string) error {
	e, err := d.find(name)
	if err != nil {
		return err
	}
	mod := ldap.NewModifyRequest(e.DN, []ldap.Control{relaxRules})
	rest := d.accountOf(e, false)
	rest.Failures = 0
	// The lock stays while the other counts still lock the account (the
	// lock-out is of the three together): lifting it would let the new
	// password in at every other service while the app refuses it.
	if e.GetAttributeValue("pwdAccountLockedTime") != "" && !regulation.Default.AccountLocked(rest) {
		mod.Delete("pwdAccountLockedTime", nil)
	}
	if len(e.GetAttributeValues("pwdFailureTime")) > 0 {
		mod.Delete("pwdFailureTime", nil)
	}
	if len(mod.Changes) == 0 {
		return nil
	}
	if err := d.do(func(c *ldap.Conn) error { return c.Modify(mod) }); err != nil {
		return fmt.Errorf("clear the failed sign-ins of %s: %w", name, err)
	}
	return nil
}
