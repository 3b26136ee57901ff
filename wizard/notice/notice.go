// Package notice tells people when their security info changes: a method
// added, removed or changed, an app password created or deleted, every
// method removed by the helpdesk, a Temporary Access Pass issued, or the
// password reset. The notice goes to every email address and phone the
// person registered (those just removed included), says what changed,
// when and at which station, and "if this wasn't you, contact your
// helpdesk". It never holds a secret or a code.
//
// The app hooks it where every change is already recorded: the audit
// hook (see wiring.go's auditor), so a change that is audited is
// notified. Notify returns at once and delivers off the caller's
// goroutine, bounded by Timeout; a delivery that fails is audited
// (ActionFailed) and never holds up or undoes the change.
package notice

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/securityinfo/securityinfo/wizard/delivery"
	"github.com/securityinfo/securityinfo/wizard/email"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/phone"
)

// Actions a notice is sent for besides the info.Action constants.
const (
	// ActionPasswordReset is a password reset by the person (self-service
	// password reset records it).
	ActionPasswordReset = info.ActionPasswordReset
	// ActionMethodChanged is a registered method changed in place.
	ActionMethodChanged = "method-changed"
)

// Audit actions of delivery. Their details name the channel, the masked
// recipient and the action, never the message.
const (
	ActionSent   = "notice-sent"
	ActionFailed = "notice-failed"
)

// changes are the actions that send a notice, each with what it says
// changed: the documented set. Any other action sends nothing.
var changes = map[string]string{
	info.ActionMethodAdded:        "a method was added",
	info.ActionMethodRemoved:      "a method was removed",
	ActionMethodChanged:           "a method was changed",
	info.ActionAppPasswordCreated: "an app password was created",
	info.ActionAppPasswordDeleted: "an app password was deleted",
	info.ActionReset:              "all your methods were removed",
	info.ActionTAPIssued:          "a Temporary Access Pass was issued for your account",
	ActionPasswordReset:           "your password was reset",
}

// Actions lists the actions that send a notice.
func Actions() []string {
	out := make([]string, 0, len(changes))
	for a := range changes {
		out = append(out, a)
	}
	return out
}

// Notifies reports whether action sends a notice.
func Notifies(action string) bool { _, ok := changes[action]; return ok }

// DefaultTimeout bounds one notice's delivery to all of its recipients.
const DefaultTimeout = 30 * time.Second

// rememberFor is how long the recipients of a removed method wait for the
// notice of its removal.
const rememberFor = time.Minute

// Notifier sends notices. Set its fields, then use it from any goroutine.
type Notifier struct {
	// Dir is where the account's methods are read and delivery audited.
	Dir info.Store
	// Send delivers the notices (the app's sender: email by SMTP or the
	// outbox, texts and calls by the phone provider).
	Send method.Sender
	// Organisation names the organisation in the notice ("Contoso").
	Organisation string
	// Station names this machine in the notice and the audit log.
	Station string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Location is the time zone the notice gives the time in; nil is UTC.
	Location *time.Location
	// Timeout bounds each notice; 0 means DefaultTimeout.
	Timeout time.Duration
	// Translate says the notice in the language the app is showing when
	// the change is notified (the UI's); nil says it in English.
	Translate method.Translator

	mu      sync.Mutex
	removed map[string][]removed // by account, lower case
	wg      sync.WaitGroup
}

// removed is a method just removed, whose channel still gets the notice.
type removed struct {
	m     info.Method
	until time.Time
}

func (n *Notifier) now() time.Time {
	if n.Now != nil {
		return n.Now()
	}
	return time.Now()
}

// Notify sends the notice of action on account (done by actor: "" or the
// account for the person themselves, else an operator) to every channel
// the account has registered, and returns at once: delivery runs on its
// own goroutine, bounded by Timeout, and its outcome is audited. An
// action outside the set (Actions) does nothing.
func (n *Notifier) Notify(actor, action, account, detail string) {
	if !Notifies(action) || account == "" {
		return
	}
	extra := n.take(account)
	// Written now, in the language on screen at the change.
	msg := n.compose(actor, action, account, detail, n.now())
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), n.timeout())
		defer cancel()
		_, _ = n.deliver(ctx, action, account, msg, extra)
	}()
}

// Deliver is Notify, waiting: it returns how many notices went out and
// the delivery errors, joined (each also audited).
func (n *Notifier) Deliver(ctx context.Context, actor, action, account, detail string) (int, error) {
	if !Notifies(action) {
		return 0, nil
	}
	ctx, cancel := context.WithTimeout(ctx, n.timeout())
	defer cancel()
	return n.deliver(ctx, action, account, n.compose(actor, action, account, detail, n.now()), n.take(account))
}

// Wait waits for the notices in flight, or until ctx is done (an app
// closing gives them a moment).
func (n *Notifier) Wait(ctx context.Context) error {
	done := make(chan struct{})
	go func() { n.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (n *Notifier) timeout() time.Duration {
	if n.Timeout > 0 {
		return n.Timeout
	}
	return DefaultTimeout
}

// recipient is one channel a notice goes to.
type recipient struct {
	channel method.Channel
	to      string
	masked  string
}

// recipients are the channels of ms: email addresses, and phones by the
// channel they get codes on; each once.
func recipients(ms []info.Method) []recipient {
	var out []recipient
	seen := map[string]bool{}
	for _, m := range ms {
		var r recipient
		switch {
		case m.Kind == info.KindEmail && m.Email != "":
			r = recipient{method.ChannelEmail, m.Email, email.Mask(m.Email)}
		case m.Kind == info.KindPhone && m.Phone != "":
			ch := method.ChannelSMS
			if m.Channel == string(method.ChannelVoice) {
				ch = method.ChannelVoice
			}
			r = recipient{ch, m.Phone, phone.Mask(m.Phone)}
		default:
			continue
		}
		if k := strings.ToLower(r.to); !seen[k] {
			seen[k] = true
			out = append(out, r)
		}
	}
	return out
}

// deliver reads the account's channels and sends msg, the notice of
// action, to each.
func (n *Notifier) deliver(ctx context.Context, action, account string, msg message, extra []info.Method) (int, error) {
	ms, err := n.Dir.Methods(account)
	if err != nil {
		n.audit(ActionFailed, account, fmt.Sprintf("%s: reading the account's methods: %s", action, short(err.Error())))
		return 0, fmt.Errorf("notice of %s: reading the methods: %w", action, err)
	}
	var errs []error
	sent := 0
	for _, r := range recipients(append(ms, extra...)) {
		m := method.Message{To: r.to, Channel: r.channel, Language: msg.language}
		switch r.channel {
		case method.ChannelEmail:
			m.Subject, m.Text = msg.subject, msg.email
		case method.ChannelVoice:
			m.Text = msg.voice
		default:
			m.Text = msg.sms
		}
		where := fmt.Sprintf("%s to %s: %s", r.channel, r.masked, action)
		if err := n.Send.Send(ctx, m); err != nil {
			n.audit(ActionFailed, account, where+": "+reason(err))
			errs = append(errs, fmt.Errorf("%s: %w", where, err))
			continue
		}
		sent++
		n.audit(ActionSent, account, where)
	}
	return sent, errors.Join(errs...)
}

// reason is a delivery error for the audit log: the provider's technical
// detail, not the words meant for someone waiting for a code.
func reason(err error) string {
	var de *delivery.Error
	if errors.As(err, &de) {
		return short(de.Provider + ": " + string(de.Reason) + ": " + de.Detail)
	}
	return short(err.Error())
}

// short cuts s to 200 characters.
func short(s string) string {
	if utf8.RuneCountInString(s) > 200 {
		return string([]rune(s)[:200]) + "…"
	}
	return s
}

// audit records a delivery's outcome; a failed write goes nowhere else.
func (n *Notifier) audit(action, account, detail string) {
	_ = n.Dir.AppendAudit(info.AuditEntry{Time: n.now().UTC(), Actor: "station", Account: account, Action: action, Station: n.Station, Detail: detail})
}

// remember keeps the channels of methods being removed from account, for
// the notice of their removal.
func (n *Notifier) remember(account string, ms []info.Method) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.removed == nil {
		n.removed = map[string][]removed{}
	}
	k := info.AccountKey(account)
	until := n.now().Add(rememberFor)
	for _, m := range ms {
		if len(recipients([]info.Method{m})) > 0 {
			n.removed[k] = append(n.removed[k], removed{m, until})
		}
	}
}

// take returns (and forgets) the removed methods remembered for account
// that are still fresh.
func (n *Notifier) take(account string) []info.Method {
	n.mu.Lock()
	defer n.mu.Unlock()
	k := info.AccountKey(account)
	var out []info.Method
	now := n.now()
	for _, r := range n.removed[k] {
		if now.Before(r.until) {
			out = append(out, r.m)
		}
	}
	delete(n.removed, k)
	return out
}

// Store wraps dir so that a method removed through it (RemoveMethod,
// RemoveAllMethods) still gets the notice of its own removal: its
// address or number is remembered for the next notice to that account.
// Give the flow this store and the audit hook Notify.
func (n *Notifier) Store(dir info.Store) info.Store { return &store{Store: dir, n: n} }

type store struct {
	info.Store
	n *Notifier
}

// RemoveMethod remembers the method's channel, then removes it.
func (s *store) RemoveMethod(account, id string) error {
	ms, _ := s.Store.Methods(account) // the removal decides; a failed read only loses the extra recipient
	if err := s.Store.RemoveMethod(account, id); err != nil {
		return err
	}
	for _, m := range ms {
		if m.ID == id {
			s.n.remember(account, []info.Method{m})
		}
	}
	return nil
}

// RemoveAllMethods remembers every method's channel, then removes them.
func (s *store) RemoveAllMethods(account string) (int, error) {
	ms, _ := s.Store.Methods(account)
	k, err := s.Store.RemoveAllMethods(account)
	if k > 0 {
		s.n.remember(account, ms)
	}
	return k, err
}
