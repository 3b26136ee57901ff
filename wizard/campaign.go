package wizard

import (
	"fmt"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/words"
)

// ErrNoSnoozeLeft means "Not now" is no longer allowed: the methods asked
// for are required now.
var ErrNoSnoozeLeft = words.New("registering can't be put off any more",
	"Your organisation now requires this security info. It can't be put off any more.")

// snoozesLeft is how many more times acct may choose "Not now" at now
// (the registration campaign): SnoozeTimes less those used, none once
// SnoozeDays have passed since the first (0 days: no limit of days).
func snoozesLeft(p Policy, acct info.Account, now time.Time) int {
	left := p.SnoozeTimes - acct.Snoozes
	if left <= 0 {
		return 0
	}
	if p.SnoozeDays > 0 && !acct.FirstSnooze.IsZero() && !now.Before(acct.FirstSnooze.AddDate(0, 0, p.SnoozeDays)) {
		return 0
	}
	return left
}

// SnoozesLeft says how many more times the person may choose "Not now" on
// "More information required"; 0 means registering is required now.
func (f *Flow) SnoozesLeft() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.page != PageMoreInfo {
		return 0
	}
	return snoozesLeft(f.cfg.Policy, f.account, f.cfg.Now())
}

// Snoozed reports whether the person chose "Not now" in this session.
func (f *Flow) Snoozed() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.snoozed
}

// NotNow puts registering off, if the campaign still allows it: the
// count (and the date of the first time) are stored on the account, the
// choice audited, and the person goes on signed in (PageUpToDate). It
// writes to storage.
func (f *Flow) NotNow() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.page != PageMoreInfo {
		return ErrNotNow
	}
	now := f.cfg.Now()
	var left int
	err := f.cfg.Dir.UpdateAccount(f.account.Name, func(a *info.Account) error {
		if left = snoozesLeft(f.cfg.Policy, *a, now); left <= 0 {
			return ErrNoSnoozeLeft
		}
		a.Snoozes++
		if a.FirstSnooze.IsZero() {
			a.FirstSnooze = now
		}
		f.account.Snoozes, f.account.FirstSnooze = a.Snoozes, a.FirstSnooze
		return nil
	})
	if err != nil {
		return err
	}
	// A postponement changes no security info: it goes on if it can't be
	// recorded.
	f.auditFailure("", info.ActionRegistrationSnooze, f.account.Name, fmt.Sprintf("%d left", left-1))
	f.snoozed = true
	f.page = PageUpToDate
	return nil
}

// endCampaign clears the campaign's count once nothing more is asked of
// acct, so that a later requirement starts a campaign of its own. f.mu is
// held.
func (f *Flow) endCampaign(acct info.Account) {
	if acct.Snoozes == 0 && acct.FirstSnooze.IsZero() {
		return
	}
	_ = f.cfg.Dir.UpdateAccount(acct.Name, func(a *info.Account) error {
		a.Snoozes, a.FirstSnooze = 0, time.Time{}
		return nil
	})
}
