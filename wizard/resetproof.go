package wizard

import (
	"crypto/rand"
	"errors"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/email"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/phone"
	"github.com/securityinfo/securityinfo/wizard/questions"
	"github.com/securityinfo/securityinfo/wizard/recovery"
	"github.com/securityinfo/securityinfo/wizard/secret"
	"github.com/securityinfo/securityinfo/wizard/sentcode"
)

// A password reset must look and cost the same whether or not the account
// exists and whatever methods it has (DESIGN: an unknown name walks the
// same pages and fails the same way). This file holds what makes it so:
//
//   - what the person reads: a code asked for is "sent" whatever happened
//     (a cooldown, an hourly cap, a failed send are audited, not shown);
//     the only wait shown is the reset's own (resetAsks), counted from the
//     requests made for that name, across resets; every failed check reads ErrResetProofFailed
//     (resetFailure);
//   - what a check counts: a decoy fails as the real method does for the
//     same answer, so a mistyped code counts towards the back-off for
//     neither, a wrong one for both;
//   - the work a check does: a decoy does what a real check of a wrong
//     answer does (an HMAC for a sent code, a TOTP window for an app, an
//     argon2id per answer for security questions), and a wrong recovery
//     code costs recovery.Count argon2id checks, real or decoy, however
//     many codes are left (paddedCodes). secret.Checks counts them in
//     tests;
//   - how long the code page takes: a code is sent in the background
//     for a real phone or address and a decoy alike (startSend), so the
//     gateway's wait doesn't show which names have one; and a check,
//     which waits for the send, waits alike: a decoy's send takes as long
//     as the last real send of its kind (sendTimes);
//   - a security key's stand-in asks the key plugged in as a real check
//     does (securitykey.ProverFactory given no credential), so no key
//     found, not counted, and another's key, counted, are alike.

// sendsCode reports whether a kind's proof starts by sending a code.
func sendsCode(k info.Kind) bool { return k == info.KindPhone || k == info.KindEmail }

// resetAsks keeps, per kind that sends a code, how many codes were asked
// for at a reset and when the last was, for each typed name: in an
// info.TriesTable (Failures counting the asks, LastFailure the last), so
// under a 16-bit keyed slot and never the name, which may be a password
// typed into the wrong box. It outlives the reset and a kiosk wipe:
// starting the reset again must not start its resend wait again, since
// the number's own cooldown beneath it would then send nothing, silently.
type resetAsks struct{ phone, email info.TriesTable }

// table is kind's.
func (a *resetAsks) table(k info.Kind) *info.TriesTable {
	if k == info.KindEmail {
		return &a.email
	}
	return &a.phone
}

// wait is how long name must wait at a reset before another code of kind
// may be asked for: sentcode's cooldown (30 s, then doubling) after the
// requests asked, from the last one. It counts requests, not sends, so
// it is the same for an account with a phone, one without and a name
// that doesn't exist; the sender's own limits (per number, per hour)
// apply beneath it, silently. An hour after the last, they count no more.
func (a *resetAsks) wait(name string, k info.Kind, now time.Time) time.Duration {
	t := a.table(k).Get(name)
	if t.Failures == 0 || now.Sub(t.LastFailure) >= sentcode.MaxCooldown {
		return 0
	}
	return max(t.LastFailure.Add(sentcode.Cooldown(t.Failures)).Sub(now), 0)
}

// ask counts a code of kind asked for by name at now.
func (a *resetAsks) ask(name string, k info.Kind, now time.Time) {
	_ = a.table(k).Update(name, func(t *info.Tries) error {
		if now.Sub(t.LastFailure) >= sentcode.MaxCooldown {
			t.Failures = 0
		}
		t.Failures++
		t.LastFailure = now
		return nil
	})
}

// startResetProof is StartProof at a password reset. A code kind asked
// for again within resendWait is refused with a *sentcode.CooldownError,
// the proof in progress kept (its code still works). Otherwise the kind's
// Prover begins; if it can't (a cooldown or hourly cap on the number, a
// failed send), that is audited and the person reads the same challenge
// as after a send: the Prover in progress is kept if it is of the same
// kind (its code still works), else a decoy stands in.
//
// A code is sent in the background (sendInBackground), for a real phone
// or address and a decoy alike, and the challenge returned at once: a
// gateway's wait would otherwise show, at a kiosk, that the name has a
// phone or an address.
func (f *Flow) startResetProof(p *proof, gen uint64, o ProofOption) (Challenge, error) {
	now := f.cfg.Now()
	f.mu.Lock()
	rs := f.rs
	if f.gen != gen || f.proof != p || rs == nil || f.page != PageReset || rs.stage != ResetProve {
		f.mu.Unlock()
		return Challenge{}, ErrNotNow
	}
	if !f.offeredAtReset(o.Kind) {
		f.mu.Unlock()
		return Challenge{}, ErrNoProver
	}
	if sendsCode(o.Kind) {
		if wait := f.asks.wait(rs.name, o.Kind, now); wait > 0 {
			f.mu.Unlock()
			return Challenge{}, &sentcode.CooldownError{Wait: wait}
		}
	}
	account, known := p.account, p.known
	f.mu.Unlock()

	prover, err := f.resetProverFor(account, known, o.Kind)
	if err != nil {
		return Challenge{}, err
	}
	if sendsCode(o.Kind) {
		return f.startSend(p, gen, o, prover, now)
	}
	if err := prover.Begin(); err != nil {
		prover.Abort()
		prover = nil
		f.notSent(account, known, o.Kind, err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.gen != gen || f.proof != p || f.rs != rs || rs.stage != ResetProve {
		if prover != nil {
			prover.Abort()
		}
		return Challenge{}, ErrNotNow
	}
	switch {
	case prover != nil:
	case p.prover != nil && p.option.Kind == o.Kind:
		prover = p.prover // the Prover before still works
	default:
		prover = f.newDecoy(account, o.Kind)
		_ = prover.Begin() // a decoy's Begin fails only without randomness: it then takes no code
	}
	if p.prover != nil && p.prover != prover {
		p.prover.Abort()
	}
	p.option, p.prover = o, prover
	return f.resetChallenge(o.Kind, prover), nil
}

// notSent audits a reset's Prover that couldn't begin. Shown, a send's
// failure, cooldown or cap would tell that the account has such a
// method; the helpdesk reads it here.
func (f *Flow) notSent(account string, known bool, kind info.Kind, err error) {
	f.auditFailure("", info.ActionSecondFactorFailed, whoOf(account, known),
		string(kind)+" for a password reset: not sent: "+err.Error())
}

// startSend is startResetProof for a kind that sends a code, once prover
// is made: the proof takes a sending at once, and prover begins (sends)
// in the background.
func (f *Flow) startSend(p *proof, gen uint64, o ProofOption, prover method.Prover, now time.Time) (Challenge, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	rs := f.rs
	if f.gen != gen || f.proof != p || rs == nil || rs.stage != ResetProve {
		prover.Abort()
		return Challenge{}, ErrNotNow
	}
	f.asks.ask(rs.name, o.Kind, now)
	var keep method.Prover // the code sent before, if the new one isn't
	if p.prover != nil && p.option.Kind == o.Kind {
		keep = p.prover
	} else if p.prover != nil {
		p.prover.Abort()
	}
	s := &sending{kind: o.Kind, done: make(chan struct{})}
	account, known := p.account, p.known
	f.sends.Add(1)
	go func() {
		defer f.sends.Done()
		f.sendInBackground(s, prover, keep, account, known)
	}()
	p.option, p.prover = o, s
	return f.resetChallenge(o.Kind, s), nil
}

// sendInBackground begins prover (sends its code), then hands s the
// Prover its code is checked with: prover if the code went, else keep
// (the code sent before still works), else a decoy; a send that failed
// is audited, never shown. If s was aborted meanwhile (a new code, Back,
// a kiosk wipe), what it would have handed is aborted instead: nothing
// of an abandoned reset stays.
func (f *Flow) sendInBackground(s *sending, prover, keep method.Prover, account string, known bool) {
	_, standIn := prover.(*decoy)
	start := f.cfg.Now()
	err := prover.Begin()
	if standIn {
		// As long as the last real send of the kind took, so that a code
		// typed before the page's send ends waits alike for every name.
		f.sendTook.wait(s.kind)
	} else {
		f.sendTook.record(s.kind, f.cfg.Now().Sub(start))
	}
	if err != nil {
		prover.Abort()
		prover = nil
		f.notSent(account, known, s.kind, err)
	}
	switch {
	case prover != nil:
		if keep != nil {
			keep.Abort()
		}
	case keep != nil:
		prover = keep
	default:
		d := f.newDecoy(account, s.kind)
		_ = d.Begin() // a decoy's Begin fails only without randomness: it then takes no code
		prover = d
	}
	s.mu.Lock()
	s.got = prover
	aborted := s.aborted
	s.mu.Unlock()
	if aborted {
		// Before a check waiting for the send sees it: an abandoned
		// reset's code proves nothing.
		prover.Abort()
	}
	close(s.done)
}

// sendTimes is how long a reset's last real send of each kind took, by
// the flow's clock (a gateway's answer, or its failure). A stand-in's
// send waits as long: a check waits for the send, and a script typing a
// wrong code the instant the page shows would otherwise see the gateway's
// wait for real phones and addresses only. At most maxStandInWait.
type sendTimes struct {
	mu   sync.Mutex
	took map[info.Kind]time.Duration
	// sleep waits; time.Sleep unless a test set it.
	sleep func(time.Duration)
}

// maxStandInWait bounds a stand-in's send, whatever a hung gateway took.
const maxStandInWait = 30 * time.Second

func (t *sendTimes) record(k info.Kind, d time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.took == nil {
		t.took = map[info.Kind]time.Duration{}
	}
	t.took[k] = min(max(d, 0), maxStandInWait)
}

// wait waits as long as the last real send of k took.
func (t *sendTimes) wait(k info.Kind) {
	t.mu.Lock()
	d, sleep := t.took[k], t.sleep
	t.mu.Unlock()
	if sleep == nil {
		sleep = time.Sleep
	}
	if d > 0 {
		sleep(d)
	}
}

// sending is a reset's proof by a code while the code is sent in the
// background: it asks what the kind's decoy and real Prover ask, and a
// check first waits for the send, then is the check of the Prover the
// send handed (sendInBackground), so that a code typed early is checked
// once it was sent and nothing is lost.
type sending struct {
	kind info.Kind
	done chan struct{} // closed once got is set

	mu      sync.Mutex
	got     method.Prover
	aborted bool
}

func (s *sending) Kind() info.Kind  { return s.kind }
func (s *sending) Prompt() string   { return resetPrompt(s.kind) }
func (s *sending) Fields() []string { return resetFields(s.kind) }

// Begin has nothing to do: startSend began the send.
func (s *sending) Begin() error { return nil }

// Check waits for the send, then checks answers with what it handed.
func (s *sending) Check(answers []string) error {
	<-s.done
	return s.got.Check(answers)
}

// Abort aborts what the send handed, or (the send still running) has
// sendInBackground abort it when it ends; it never waits for a gateway,
// since it is called with the flow's lock held.
func (s *sending) Abort() {
	s.mu.Lock()
	s.aborted = true
	got := s.got
	s.mu.Unlock()
	if got != nil {
		got.Abort()
	}
}

// resetProverFor is resetProver made ready for a reset: a decoy given
// what its work needs, a real recovery code Prover padded (paddedCodes).
// An unknown name first reads its (absent) methods, as resetProver reads
// a known account's, so that a slow directory doesn't tell them apart.
func (f *Flow) resetProverFor(account string, known bool, kind info.Kind) (method.Prover, error) {
	if !known {
		_, _ = f.cfg.Dir.Methods(account)
	}
	p, err := f.resetProver(account, known, kind)
	if err != nil {
		return nil, err
	}
	if d, ok := p.(*decoy); ok {
		f.armDecoy(d, account)
		return d, nil
	}
	if p.Kind() == info.KindRecoveryCodes {
		return &paddedCodes{Prover: p, dir: f.cfg.Dir, account: account}, nil
	}
	return p, nil
}

// newDecoy makes the decoy for kind at a reset of account.
func (f *Flow) newDecoy(account string, kind info.Kind) *decoy {
	d := &decoy{kind: kind}
	f.armDecoy(d, account)
	return d
}

// armDecoy gives d what its work needs (decoyWork).
func (f *Flow) armDecoy(d *decoy, account string) {
	r := f.cfg.Rand
	if r == nil {
		r = rand.Reader
	}
	d.work = decoyWork{dir: f.cfg.Dir, account: account, now: f.cfg.Now, rand: r}
}

// decoyWork is what a decoy does: what the real method does for a wrong
// answer, and the same errors in the same order, so that what is counted
// (countsAsFailure) and the work done match a real method's.
type decoyWork struct {
	dir     info.Store
	account string
	now     func() time.Time
	rand    io.Reader

	mu    sync.Mutex
	key   []byte         // a sent code's MAC key, or an app's TOTP key
	code  *sentcode.Sent // a code "sent" that nothing typed matches
	ended error          // why no code is waiting
	tries int            // wrong sets of security answers
}

// decoyCode is what a decoy's code is a MAC of: not 6 digits, so no
// code typed (normalised to 6 digits first) matches it.
const decoyCode = "decoy"

func (w *decoyWork) begin() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.tries = 0
	w.discard(nil)
	w.key = make([]byte, 32)
	if _, err := io.ReadFull(w.rand, w.key); err != nil {
		return err
	}
	w.code = sentcode.NewSent(w.key, "", method.ChannelSMS, decoyCode, w.now())
	w.ended = nil
	return nil
}

func (w *decoyWork) abort() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.discard(nil)
	secret.Zero(w.key)
}

// discard forgets the code waiting; why says why none is (nil: none was
// sent).
func (w *decoyWork) discard(why error) {
	if w.code != nil {
		w.code.Zero()
	}
	w.code, w.ended = nil, why
}

// check fails answers as kind's real Prover fails a wrong answer. Each
// storage read a real check makes is made too (on a name that may not
// exist), so that a slow directory doesn't tell either.
func (w *decoyWork) check(kind info.Kind, answers []string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	one := ""
	if len(answers) == 1 {
		one = answers[0]
	}
	switch kind {
	case info.KindPhone, info.KindEmail:
		// phone.Prover, email.Prover: one HMAC, tries left, expiry.
		if kind == info.KindEmail {
			_, _ = w.dir.Account(w.account)
		}
		switch {
		case w.code == nil && w.ended != nil:
			return w.ended
		case w.code == nil && kind == info.KindEmail:
			return email.ErrNoCode
		case w.code == nil:
			return phone.ErrNoCode
		}
		used, err := w.code.Check(w.key, one, w.now())
		if used {
			if err == nil {
				err = sentcode.ErrCodeUsedUp // can't happen: decoyCode isn't 6 digits
			}
			w.discard(err)
		}
		return err
	case info.KindAuthenticatorApp:
		// authapp.Prover: the format, the methods read, one app's TOTP
		// window (the key is random: whatever matches is ignored).
		if len(answers) != 1 {
			return authapp.ErrCodeFormat
		}
		code, err := authapp.NormaliseCode(one)
		if err != nil {
			return err
		}
		_, _ = w.dir.Methods(w.account)
		_, _ = authapp.Verify(w.key, code, w.now(), 0)
		return authapp.ErrWrongCode
	case info.KindRecoveryCodes:
		// recovery.Prover through paddedCodes: two reads, recovery.Count
		// argon2id checks.
		if len(answers) != 1 {
			return recovery.ErrCodeFormat
		}
		code, ok := recovery.Normalise(one)
		if !ok {
			return recovery.ErrCodeFormat
		}
		_, _ = w.dir.Methods(w.account)
		_, _ = w.dir.Methods(w.account)
		for range recovery.Count {
			secret.Dummy(code)
		}
		return recovery.ErrWrongCode
	case info.KindSecurityQuestions:
		// questions.Prover: tries, the account read, an empty answer,
		// then an argon2id check per answer.
		if w.tries >= questions.MaxTries {
			return questions.ErrTooManyTries
		}
		_, _ = w.dir.Account(w.account)
		if len(answers) == 0 {
			return questions.ErrAnswerMissing
		}
		for _, a := range answers {
			if strings.TrimSpace(a) == "" {
				return questions.ErrAnswerMissing
			}
		}
		for _, a := range answers {
			secret.Dummy(questions.Normalise(a))
		}
		w.tries++
		if w.tries >= questions.MaxTries {
			return questions.ErrTooManyTries
		}
		return questions.ErrWrongAnswers
	}
	return errDecoy
}

// paddedCodes is recovery.Prover at a reset: a wrong code costs
// recovery.Count argon2id checks, as a decoy's does, however many codes
// the account has left (recovery.Use checks each one left). A right code
// ends the proof and is not padded.
type paddedCodes struct {
	method.Prover
	dir     info.Store
	account string
}

func (p *paddedCodes) Check(answers []string) error {
	left := -1
	if ms, err := p.dir.Methods(p.account); err == nil {
		left = recovery.Left(ms)
	}
	err := p.Prover.Check(answers)
	if errors.Is(err, recovery.ErrWrongCode) && left >= 0 && len(answers) == 1 {
		code, _ := recovery.Normalise(answers[0])
		// recovery.Use checked each code left, or one dummy for none.
		for range recovery.Count - max(left, 1) {
			secret.Dummy(code)
		}
	}
	return err
}
