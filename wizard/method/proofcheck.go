package method

import (
	"github.com/securityinfo/securityinfo/wizard/info"
)

// AuditCheck records a proof's action on the signed-in account from
// station. A failed write goes nowhere else (the check's outcome stands):
// these entries only add detail, and the flow's own entry for a proof
// (second-factor) is written or the proof refused.
func (c Context) AuditCheck(station, action, detail string) {
	_ = c.Dir.AppendAudit(info.AuditEntry{Time: c.Now().UTC(), Actor: c.Account, Account: c.Account,
		Action: action, Station: station, Detail: detail})
}
