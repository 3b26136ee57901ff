package method

import (
	"errors"
	"fmt"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/regulation"
)

// CountCheck records a proof's check (what, for the error: "the code
// check") on the signed-in account, so that wrong codes and answers count
// toward its back-off and lock-out as wrong passwords do; a store that
// doesn't count (info.ErrNotSupported) leaves the method's own tries as
// the limit.
func (c Context) CountCheck(ok bool, now time.Time, what string) error {
	err := regulation.RecordAttempt(c.Dir, c.Account, ok, now)
	if err != nil && !errors.Is(err, info.ErrNotSupported) {
		return fmt.Errorf("recording %s: %w", what, err)
	}
	return nil
}

// AuditCheck records a proof's action on the signed-in account from
// station. A failed write goes nowhere else (the check's outcome stands):
// these entries only add detail, and the flow's own entry for a proof
// (second-factor) is written or the proof refused.
func (c Context) AuditCheck(station, action, detail string) {
	_ = c.Dir.AppendAudit(info.AuditEntry{Time: c.Now().UTC(), Actor: c.Account, Account: c.Account,
		Action: action, Station: station, Detail: detail})
}
