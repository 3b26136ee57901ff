// Package wizard is the Security Info flow and its rules, with no user
// interface: sign-in, the "More information required" prompt, the "Keep
// your account secure" wizard that registers method after method, and the
// Success page. The organisation's policy yields a plan of steps; the UI
// shows the current page and sends the person's input back here, so every
// path can be walked by a test without a window. Clock and randomness are
// injected.
package wizard

import (
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/regulation"
	"github.com/securityinfo/securityinfo/wizard/words"
)

// Page is what the wizard is showing.
type Page int

// The pages, in the order a person usually meets them.
const (
	PageSignIn   Page = iota // account and password
	PageMoreInfo             // "More information required"
	PageMethod               // a method's own screens inside the wizard host
	PageChooser              // "I want to set up a different method"
	PageSuccess              // the methods now registered; Done
	PageUpToDate             // signed in and nothing more is required
	PageKeyring              // the system keyring is missing or locked
	PageManage               // "Security info": the account's methods and app passwords
	PageHelpdesk             // an operator's view of other accounts
	PageVerify               // "Verify your identity": a second factor, at sign-in or before a change
	PageReset                // "Forgot my password?": self-service password reset
)

var pageNames = [...]string{"sign-in", "more-info", "method", "chooser", "success", "up-to-date", "keyring", "manage", "helpdesk", "verify", "reset"}

// String names the page ("sign-in").
func (p Page) String() string {
	if int(p) < len(pageNames) {
		return pageNames[p]
	}
	return fmt.Sprintf("page(%d)", int(p))
}

// Errors of the wizard host, checked with errors.Is.
var (
	ErrNotNow = words.New("that is not possible on this page",
		"That is not possible on this page.")
	ErrStepNotDone = words.New("finish this method first, or choose a different one",
		"Finish this method first, or choose a different one.")
	ErrStepRequired = words.New("your organisation requires this method: it can't be skipped",
		"Your organisation requires this method. It can't be skipped.")
	ErrNotAllowed = words.New("your organisation doesn't allow this method",
		"Your organisation doesn't allow this method.")
	ErrAlreadyHave = words.New("this method is already registered",
		"This method is already registered.")
	ErrNotSignedIn = words.New("sign in first",
		"Sign in first.")
	ErrNotAvailable = words.New("this method can't be set up on this station",
		"This method can't be set up on this station. Choose a different one, or ask your helpdesk.")
	ErrNotHelpdesk = words.New("this station is for helpdesk staff, and your account isn't a helpdesk account: use a registration station or your own computer",
		"This station is for helpdesk staff, and your account isn't a helpdesk account. Use a registration station or your own computer.")
	// ErrNotRecorded means the audit entry of an action could not be
	// written, so the action was refused (a sign-in) or undone (a method
	// added, a pass issued): nothing happens unrecorded.
	ErrNotRecorded = words.New("the audit log can't be written, so this wasn't done",
		"This can't be recorded in the audit log right now, so it wasn't done. Try again, or ask your helpdesk.")
	// ErrDoneNotRecorded means an action that can't be undone (a removal)
	// was done, but its audit entry could not be written.
	ErrDoneNotRecorded = words.New("done, but the audit log can't be written",
		"This was done, but it couldn't be recorded in the audit log. Tell your helpdesk.")
)

// Config is everything a Flow needs.
type Config struct {
	Policy Policy
	Dir    info.Store
	Now    func() time.Time
	Rand   io.Reader
	// Setups maps each method to the code that registers it. A method
	// without one is shown as not available in this version.
	Setups map[info.Kind]SetupFactory
	// Provers maps each method to the code that proves a person holds a
	// registered one (second-factor sign-in, step-up, password reset).
	Provers map[info.Kind]method.ProverFactory
	// Send delivers codes (phone, e-mail); handed to each method's setup.
	Send Sender
	// Audit records what happens (info.Action* names) to account, done by
	// actor ("" for the person themselves); nil records nothing. It must
	// never be given a secret, and it may be called from any goroutine.
	// An error means the entry was not written: the flow then refuses or
	// undoes the action (ErrNotRecorded), or, for one that can't be
	// undone, fails with ErrDoneNotRecorded.
	Audit func(actor, action, account, detail string) error
	// Pass checks a Temporary Access Pass typed instead of a password; see
	// SignIn.Pass.
	Pass func(account, typed string, now time.Time) (bool, error)
}

// Flow is one station's wizard: one person at a time, from sign-in to
// Success and back. It is safe for concurrent use, so that a UI can run
// the calls that read or write storage off its own thread. Every call that
// changes the page holds the flow for its whole length; the slow
// operations that change no page (StepUp, CreateAppPassword, the helpdesk
// operations) hold it only to see who is signed in, and audit what they
// did whatever becomes of the session meanwhile.
type Flow struct {
	cfg    Config
	signIn *SignIn
	// asks is when codes were asked for at a reset, per name: kept
	// across resets and wipes (resetAsks).
	asks resetAsks
	// sends are the codes a reset is sending in the background
	// (startSend), counted so that tests can wait for them.
	sends sync.WaitGroup
	// sendTook is how long a reset's last real send of each kind took,
	// which a stand-in's send takes too (sendInBackground).
	sendTook sendTimes
	// translate says the messages sent (SetTranslator); read from any
	// goroutine, since Provers start outside the flow's lock.
	translate atomic.Pointer[method.Translator]

	mu      sync.Mutex
	gen     uint64 // changes at every reset: work begun in one session can't change the next
	page    Page
	stack   []Page // where Back returns from the chooser, keyring and manage pages, innermost last
	account info.Account
	steps   []Step
	idx     int
	setup   Setup
	proved  time.Time        // when a second factor was last proved in this session; zero: never
	tries   regulation.State // step-up failures, where the store can't count them
	done    []info.Kind      // registered in this session, in order
	keyErr  error

	half    info.Account // the password is right; the second factor is asked (PageVerify)
	proof   *proof       // the proof in progress on PageVerify or PageReset
	rs      *resetState  // the password reset in progress (PageReset)
	snoozed bool         // the person chose "Not now" in this session
	adding  bool         // a method is being added from the Security info page
	// left are the methods the person chose another one instead of, in
	// this session: they leave the plan. broken are the methods whose
	// setup failed to start in this session: they are offered no more.
	left   map[info.Kind]bool
	broken map[info.Kind]error
	// prior are the methods of the wizard that were registered before
	// this visit to it: progress counts them, done.
	prior []info.Kind
}

// New makes a Flow on the sign-in page.
func New(cfg Config) *Flow {
	if cfg.Policy.Mode == ModeKiosk && !cfg.Policy.KioskRecoveryCodes {
		// Codes shown on a shared screen and saved on a shared machine.
		cfg.Policy.Allowed = withoutKind(cfg.Policy.Allowed, info.KindRecoveryCodes)
		cfg.Policy.Required = withoutKind(cfg.Policy.Required, info.KindRecoveryCodes)
	}
	if cfg.Policy.ResetMethods == 0 {
		cfg.Policy.ResetMethods = 1
	}
	if cfg.Policy.SecondFactor == "" {
		cfg.Policy.SecondFactor = SecondFactorRequired
	}
	s := &SignIn{Dir: cfg.Dir, Now: cfg.Now, Pass: cfg.Pass,
		AppAtBind: cfg.Policy.Directory.URL != "" && containsKind(cfg.Policy.Allowed, info.KindAuthenticatorApp)}
	f := &Flow{cfg: cfg, signIn: s}
	if cfg.Policy.Mode == ModeHelpdesk {
		// Others are refused (ErrNotHelpdesk, ErrOperatorNeedsSecondFactor)
		// once their credentials are proved right: a pass they typed must
		// not be used up by that.
		s.Admit = f.admitsByPass
	}
	return f
}

// PrepareSignIn does ahead of the first sign-in what it would otherwise
// wait for (SignIn.Prepare). It is slow: call it in the background.
func (f *Flow) PrepareSignIn() { f.signIn.Prepare() }

// admitsByPass says whether this helpdesk station lets acct in by a
// Temporary Access Pass: an operator with a second factor to prove here,
// as SignInWithCode asks of one signed in by a pass (else ErrNotHelpdesk
// or ErrOperatorNeedsSecondFactor). It reads acct's methods.
func (f *Flow) admitsByPass(acct info.Account) (bool, error) {
	if !acct.Helpdesk {
		return false, nil
	}
	ms, err := f.cfg.Dir.Methods(acct.Name)
	if err != nil {
		return false, err
	}
	return len(f.secondFactors(acct, ms)) > 0, nil
}

// withoutKind is list without k.
func withoutKind(list []info.Kind, k info.Kind) []info.Kind {
	var out []info.Kind
	for _, x := range list {
		if x != k {
			out = append(out, x)
		}
	}
	return out
}

// offered reports whether kind may be offered to the person: this station
// has its setup (cfg.Setups) and it has not failed to start in this
// session. A method that isn't offered is never planned, listed by the
// chooser or chosen; a required one stays required, and the wizard says
// it can't be set up here (Unavailable) rather than pass it by.
func (f *Flow) offered(kind info.Kind) bool {
	return f.cfg.Setups[kind] != nil && f.broken[kind] == nil
}

// audit records an action taken by actor ("" for the person) on account;
// an error says the entry was not written.
func (f *Flow) audit(actor, action, account, detail string) error {
	if f.cfg.Audit == nil {
		return nil
	}
	return f.cfg.Audit(actor, action, account, detail)
}

// auditOrRefuse records an action not taken yet, or to be undone if
// this fails: ErrNotRecorded.
func (f *Flow) auditOrRefuse(actor, action, account, detail string) error {
	if err := f.audit(actor, action, account, detail); err != nil {
		return fmt.Errorf("%w: %w", ErrNotRecorded, err)
	}
	return nil
}

// auditDone records an action that can't be undone: ErrDoneNotRecorded
// if the entry can't be written.
func (f *Flow) auditDone(actor, action, account, detail string) error {
	if err := f.audit(actor, action, account, detail); err != nil {
		return fmt.Errorf("%w: %w", ErrDoneNotRecorded, err)
	}
	return nil
}

// auditFailure records a failure (a wrong password, a wrong code): the
// attempt fails whether or not the entry is written, and the hook has
// already said why it could not be (wiring logs it).
func (f *Flow) auditFailure(actor, action, account, detail string) {
	_ = f.audit(actor, action, account, detail)
}

// Policy returns the policy in force.
func (f *Flow) Policy() Policy { return f.cfg.Policy }

// Page returns the page to show.
func (f *Flow) Page() Page {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.page
}

// Account returns the signed-in account's name, or "".
func (f *Flow) Account() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.account.Name
}

// Steps returns the wizard's plan for the signed-in account.
func (f *Flow) Steps() []Step {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Step(nil), f.steps...)
}

// Step returns the current step; ok is false outside the method pages.
func (f *Flow) Step() (s Step, ok bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.step()
}

func (f *Flow) step() (Step, bool) {
	if f.idx < len(f.steps) && (f.page == PageMethod || f.page == PageChooser) {
		return f.steps[f.idx], true
	}
	return Step{}, false
}

// Setup returns the method registration in progress, or nil.
func (f *Flow) Setup() Setup {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.setup
}

// Progress says where the person is: "Method n of total", counting the
// methods of the wizard registered before this visit as done.
func (f *Flow) Progress() (n, total int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.prior) + f.idx + 1, len(f.prior) + len(f.steps)
}

// JourneyStep is one method of the wizard as its progress line shows it.
type JourneyStep struct {
	Kind info.Kind
	// Done says it is registered: before this visit or in it.
	Done bool
	// Current says it is the step on screen.
	Current bool
}

// Journey lists the wizard's methods, those registered before this visit
// first, for the progress line ("✓ App ● Phone ○ App password").
func (f *Flow) Journey() []JourneyStep {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []JourneyStep
	for _, k := range f.prior {
		out = append(out, JourneyStep{Kind: k, Done: true})
	}
	for i, st := range f.steps {
		out = append(out, JourneyStep{Kind: st.Kind, Done: i < f.idx, Current: i == f.idx})
	}
	return out
}

// priorKinds are the registered methods (in have) that the wizard would
// ask for: the policy's required ones in its order, then the allowed ones,
// then an app password if the section is on.
func (f *Flow) priorKinds(have map[info.Kind]bool) []info.Kind {
	pol := f.cfg.Policy
	var out []info.Kind
	add := func(k info.Kind) {
		if have[k] && !containsKind(out, k) {
			out = append(out, k)
		}
	}
	for _, k := range pol.Required {
		add(k)
	}
	for _, k := range pol.Allowed {
		add(k)
	}
	if pol.AppPasswords {
		add(info.KindAppPassword)
	}
	return out
}

// KeyringError returns why the keyring page is shown.
func (f *Flow) KeyringError() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.keyErr
}

// SignIn checks the account and password and moves on to the page the
// account needs. It is slow on purpose (argon2id): call it off the UI
// thread. If the session is ended (Cancel, Wipe) while the password is
// being checked, it stays ended: SignIn returns ErrNotNow.
func (f *Flow) SignIn(name, password string) error {
	return f.SignInWithCode(name, password, "")
}

// SignInWithCode is SignIn with the authenticator code the organisation's
// directory asks for with the password (see AuthenticateWithCode):
// ErrCodeRequired says to ask for it, and nothing was checked yet.
func (f *Flow) SignInWithCode(name, password, code string) error {
	f.mu.Lock()
	page, gen := f.page, f.gen
	f.mu.Unlock()
	if page != PageSignIn {
		return ErrNotNow
	}
	acct, byPass, err := f.authenticate(name, password, code)
	if err != nil {
		return err
	}
	// Read what the person has registered before taking the flow: it may
	// be slow (the directory).
	methods, err := f.cfg.Dir.Methods(acct.Name)
	if err != nil {
		return fmt.Errorf("reading security info: %w", err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.gen != gen || f.page != PageSignIn {
		return ErrNotNow
	}
	if f.cfg.Policy.Mode == ModeHelpdesk {
		// A helpdesk's powers never rest on a password (or a pass) alone:
		// the operator proves a second factor at every sign-in, whatever
		// second_factor says.
		switch {
		case !acct.Helpdesk:
			return ErrNotHelpdesk
		case acct.CodeAtBind && !byPass:
			// The directory checked the code with the password; with a
			// pass it checked none.
			f.proved = f.cfg.Now()
			return f.begin(acct)
		case len(f.secondFactors(acct, methods)) == 0:
			return ErrOperatorNeedsSecondFactor
		}
	} else {
		if acct.CodeAtBind || byPass {
			// The directory checked the code with the password; a Temporary
			// Access Pass is strong by itself (the helpdesk verified the
			// person when it issued it).
			f.proved = f.cfg.Now()
			return f.begin(acct)
		}
		if f.cfg.Policy.SecondFactor == SecondFactorOff || len(f.secondFactors(acct, methods)) == 0 {
			return f.begin(acct)
		}
	}
	f.half = acct
	f.proof = &proof{purpose: proveSignIn, account: acct.Name, known: true}
	f.page = PageVerify
	return nil
}

// Authenticate checks an account name and password with the back-off and
// lock-out rules, without changing the page. It is safe to call from a
// background goroutine.
func (f *Flow) Authenticate(name, password string) (info.Account, error) {
	return f.AuthenticateWithCode(name, password, "")
}

// AuthenticateWithCode is Authenticate with the authenticator code a
// directory asks for at bind (see SignIn.CheckWithCode): ErrCodeRequired
// says to ask for it. It is safe to call from a background goroutine.
func (f *Flow) AuthenticateWithCode(name, password, code string) (info.Account, error) {
	acct, _, err := f.authenticate(name, password, code)
	return acct, err
}

// authenticate is AuthenticateWithCode, also saying whether a Temporary
// Access Pass was used in place of the password.
func (f *Flow) authenticate(name, password, code string) (info.Account, bool, error) {
	acct, byPass, err := f.signIn.check(name, password, code)
	switch {
	case errors.Is(err, ErrCodeRequired):
		return acct, false, err // nothing was checked yet
	case err == nil:
		// A sign-in that can't be recorded is refused.
		detail := ""
		if acct.CodeAtBind && !byPass && recoveryShaped(code) {
			// bindWithRecoveryCode used one of the person's codes.
			detail = "with a recovery code"
		}
		if aerr := f.auditOrRefuse("", info.ActionSignIn, acct.Name, detail); aerr != nil {
			return info.Account{}, false, aerr
		}
	default:
		// Only a name that exists is logged: people type passwords into
		// the account field, and the log must never hold a secret.
		who := "(unknown account)"
		if a, lookErr := f.cfg.Dir.Account(name); lookErr == nil {
			who = a.Name
		}
		f.auditFailure("", info.ActionSignInFailed, who, err.Error())
	}
	return acct, byPass, err
}

// Begin starts the session of an account that Authenticate returned:
// "More information required" if its plan has steps, else "up to date".
// It reads the account's methods.
func (f *Flow) Begin(acct info.Account) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.begin(acct)
}

func (f *Flow) begin(acct info.Account) error {
	if f.page != PageSignIn {
		return ErrNotNow
	}
	if f.cfg.Policy.Mode == ModeHelpdesk {
		if !acct.Helpdesk {
			return ErrNotHelpdesk
		}
		f.account = acct
		f.page = PageHelpdesk
		return nil
	}
	methods, err := f.cfg.Dir.Methods(acct.Name)
	if err != nil {
		return fmt.Errorf("reading security info: %w", err)
	}
	f.account = acct
	f.half, f.proof = info.Account{}, nil
	if acct.CodeAtBind {
		// The directory checked the authenticator code with the password.
		f.proved = f.cfg.Now()
	}
	f.steps = MakePlan(f.cfg.Policy, methods)
	f.idx = 0
	f.done = nil
	if len(f.steps) == 0 {
		f.page = PageUpToDate
		f.endCampaign(acct)
	} else {
		f.page = PageMoreInfo
	}
	return nil
}

// Next moves forward: from "More information required" into the first
// method, and from a method whose registration is done to the next method
// or to Success. It may read storage and start a method's setup.
func (f *Flow) Next() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch f.page {
	case PageMoreInfo:
		if err := f.reauthLocked(f.account.Name); err != nil {
			return err
		}
		// Plan again, with only what can be offered (the plan Begin made
		// knows nothing of this station's setups).
		have, err := f.registeredKinds()
		if err != nil {
			return err
		}
		f.steps, f.idx = f.planFrom(have, false), 0
		f.prior = f.priorKinds(have)
		if len(f.steps) == 0 {
			f.page = PageUpToDate
			return nil
		}
		f.startStep()
		return nil
	case PageMethod:
		if f.setup == nil || !f.setup.Done() {
			return ErrStepNotDone
		}
		// Every method, a set of codes too, was recorded as it was saved
		// (recorder).
		f.done = append(f.done, f.setup.Kind())
		f.setup = nil
		if f.adding {
			f.adding = false
			return f.pop()
		}
		f.idx++
		f.advance()
		return nil
	}
	return ErrNotNow
}

// Skip leaves out an optional step (the App password section).
func (f *Flow) Skip() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.step()
	if f.page != PageMethod || !ok {
		return ErrNotNow
	}
	if !s.Optional {
		return ErrStepRequired
	}
	f.abortSetup()
	f.idx++
	f.advance()
	return nil
}

// CanBack reports whether Back does anything on this page.
func (f *Flow) CanBack() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch f.page {
	case PageMethod:
		// A registered method can't be taken back by Back.
		return f.setup != nil && !f.setup.Done() && (f.canSetupBack() || len(f.done) == 0 || f.adding)
	case PageChooser, PageKeyring, PageManage:
		return len(f.stack) > 0
	case PageVerify, PageReset:
		return true
	}
	return false
}

// canSetupBack is true if the method has a screen of its own to go back
// to (method.Backer).
func (f *Flow) canSetupBack() bool {
	b, ok := f.setup.(method.Backer)
	return ok && b.CanBack()
}

// Back moves one screen back. Inside a method it goes to the method's
// previous screen; from a method's first screen it returns to "More
// information required" (discarding anything pending) unless a method was
// already registered in this session, which can't be undone by Back. From
// the chooser, keyring and manage pages it returns to the page they were
// opened from, one at a time.
func (f *Flow) Back() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch f.page {
	case PageMethod:
		if f.setup == nil || f.setup.Done() {
			return ErrNotNow
		}
		if f.setup.Back() {
			return nil
		}
		if f.adding {
			f.abortSetup()
			f.adding = false
			return f.pop()
		}
		if len(f.done) > 0 {
			return ErrNotNow
		}
		f.abortSetup()
		f.page = PageMoreInfo
		return nil
	case PageChooser, PageKeyring, PageManage:
		return f.pop()
	case PageVerify:
		if f.proof != nil && f.proof.purpose == proveChange {
			f.abortProof()
			return f.pop()
		}
		f.reset() // from a sign-in's second factor: back to sign-in
		return nil
	case PageReset:
		f.reset()
		return nil
	}
	return ErrNotNow
}

// push shows p, remembering the page it covers.
func (f *Flow) push(p Page) {
	f.stack = append(f.stack, f.page)
	f.page = p
}

// pop returns to the page the current one covers.
func (f *Flow) pop() error {
	n := len(f.stack)
	if n == 0 {
		return ErrNotNow
	}
	f.page, f.stack = f.stack[n-1], f.stack[:n-1]
	return nil
}

// LeaveWarning returns what the person must be told before leaving the
// current method's screen other than by Next (method.LeaveWarner), or "".
func (f *Flow) LeaveWarning() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if w, ok := f.setup.(method.LeaveWarner); ok {
		return w.LeaveWarning()
	}
	return ""
}

// CancelWarning returns what the person must be told before Cancel signs
// them out mid-method, or "": a method past its first screen (a QR code
// shown and perhaps scanned, a code sent) would be thrown away, and its
// own leave warning (method.LeaveWarner) comes first.
func (f *Flow) CancelWarning() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.setup == nil || f.setup.Done() {
		return ""
	}
	if w, ok := f.setup.(method.LeaveWarner); ok && w.LeaveWarning() != "" {
		return w.LeaveWarning()
	}
	if f.canSetupBack() {
		return fmt.Sprintf("What you started for %s is thrown away: a QR code you scanned or a code you were sent stops working, and you'll start this method again next time. Methods you already registered stay registered.",
			Describe(f.setup.Kind()).Title)
	}
	return ""
}

// OpenManage shows the "Security info" page, where a signed-in person sees
// their methods and manages app passwords; Back returns to where they were.
func (f *Flow) OpenManage() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.page != PageSuccess && f.page != PageUpToDate {
		return ErrNotNow
	}
	f.push(PageManage)
	return nil
}

// Choices lists the methods the person may set up instead, with what
// each is used for: the allowed methods not yet registered. It reads
// storage.
func (f *Flow) Choices() ([]MethodInfo, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.account.Name == "" {
		return nil, ErrNotSignedIn
	}
	have, err := f.registeredKinds()
	if err != nil {
		return nil, err
	}
	var out []MethodInfo
	for _, k := range f.cfg.Policy.Allowed {
		if !have[k] && f.offered(k) {
			out = append(out, Describe(k))
		}
	}
	return out, nil
}

// OpenChooser shows "I want to set up a different method"; Back returns
// to where the person was.
func (f *Flow) OpenChooser() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.page != PageMethod && f.page != PageMoreInfo {
		return ErrNotNow
	}
	f.push(PageChooser)
	return nil
}

// Choose sets up kind now. The chosen method's setup starts first: if it
// can't (its factory fails), the person stays on the chooser, told why,
// and the method is offered no more in this session. If the current step
// is required it stays, after the chosen method; otherwise the person
// leaves it, and it leaves the plan. The steps after the chosen one are
// planned again: the required methods still missing, others up to the
// policy's minimum (a method left only if nothing else makes it up), the
// App password section. It reads storage.
func (f *Flow) Choose(kind info.Kind) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.page != PageChooser {
		return ErrNotNow
	}
	if !containsKind(f.cfg.Policy.Allowed, kind) {
		return ErrNotAllowed
	}
	if err := f.broken[kind]; err != nil {
		return fmt.Errorf("%w: %w", ErrNotAvailable, err)
	}
	if !f.offered(kind) {
		return ErrNotAvailable
	}
	have, err := f.registeredKinds()
	if err != nil {
		return err
	}
	if have[kind] {
		return ErrAlreadyHave
	}
	if f.idx >= len(f.steps) {
		return ErrNotNow
	}
	if err := f.reauthLocked(f.account.Name); err != nil {
		return err
	}
	s, err := f.newSetup(kind)
	if err != nil {
		f.markBroken(kind, err)
		return fmt.Errorf("%w: %w", ErrNotAvailable, err)
	}
	f.abortSetup()
	f.stack = f.stack[:len(f.stack)-1] // the chooser is done with
	cur := f.steps[f.idx]
	if cur.Kind != kind && !cur.Required && cur.Kind != info.KindAppPassword {
		f.markLeft(cur.Kind)
	}
	delete(f.left, kind)
	f.steps = append(f.steps[:f.idx:f.idx], Step{Kind: kind, Required: containsKind(f.cfg.Policy.Required, kind)})
	have[kind] = true
	f.steps = append(f.steps, f.planFrom(have, true)...)
	f.page, f.setup = PageMethod, s
	return nil
}

// planFrom plans the steps still to take once the methods in have are
// registered: MakePlan on the policy without the methods not offered or
// left in this session, or with the left ones again if the minimum can't be
// made up without them. after says steps come before these (a method
// chosen, or done): the App password section then follows even if
// nothing else does.
func (f *Flow) planFrom(have map[info.Kind]bool, after bool) []Step {
	var ms []info.Method
	for k := range have {
		ms = append(ms, info.Method{Kind: k})
	}
	plan := func(skipLeft bool) []Step {
		p := f.cfg.Policy
		p.Allowed = nil
		for _, k := range f.cfg.Policy.Allowed {
			if f.offered(k) && !(skipLeft && f.left[k]) {
				p.Allowed = append(p.Allowed, k)
			}
		}
		if !f.offered(info.KindAppPassword) && !p.AppPasswordsRequired {
			p.AppPasswords = false
		}
		return MakePlan(p, ms)
	}
	steps := plan(true)
	n := 0
	for k := range have {
		if Known(k) {
			n++
		}
	}
	for _, st := range steps {
		if Known(st.Kind) {
			n++
		}
	}
	if n < f.cfg.Policy.MinMethods {
		steps = plan(false)
	}
	pol := f.cfg.Policy
	if after && len(steps) == 0 && pol.AppPasswords && !have[info.KindAppPassword] && f.offered(info.KindAppPassword) {
		steps = append(steps, Step{Kind: info.KindAppPassword, Optional: !pol.AppPasswordsRequired, Required: pol.AppPasswordsRequired})
	}
	return steps
}

// markLeft remembers that the person left kind for another method.
func (f *Flow) markLeft(kind info.Kind) {
	if f.left == nil {
		f.left = map[info.Kind]bool{}
	}
	f.left[kind] = true
}

// markBroken remembers that kind's setup failed to start, and why.
func (f *Flow) markBroken(kind info.Kind, err error) {
	if f.broken == nil {
		f.broken = map[info.Kind]error{}
	}
	f.broken[kind] = err
}

// Cancel leaves the wizard: anything pending is discarded and the station
// returns to sign-in. Methods whose test already succeeded stay
// registered; nothing half-registered remains.
func (f *Flow) Cancel() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reset()
}

// UseDifferentAccount returns to sign-in, as Cancel does.
func (f *Flow) UseDifferentAccount() { f.Cancel() }

// Wipe ends the session for the next person at once, as Cancel does, and
// returns what records it: on a kiosk, the wipe in the audit log. The
// record writes to storage, so a UI calls it off its thread; the session
// is over whether or not it is called.
func (f *Flow) Wipe() (record func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	record = func() {}
	if f.cfg.Policy.Mode == ModeKiosk {
		account := f.account.Name
		// The wipe happens whether or not it can be recorded: the next
		// person must never see this one's session.
		record = func() { f.auditFailure("", info.ActionKioskWipe, account, "") }
	}
	// Names typed that name no account keep their back-off, as accounts
	// do: SignIn holds them only as slots that can't confirm what was
	// typed (info.Store.UpdateTries).
	f.reset()
	return record
}

// Done ends the session from Success, "up to date", the helpdesk view or
// the end of a password reset.
func (f *Flow) Done() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	resetOver := f.page == PageReset && f.rs != nil && (f.rs.stage == ResetDone || f.rs.stage == ResetHelpdesk)
	if f.page != PageSuccess && f.page != PageUpToDate && f.page != PageHelpdesk && !resetOver {
		return ErrNotNow
	}
	f.reset()
	return nil
}

// Registered returns every method the signed-in account now has. It
// reads storage.
func (f *Flow) Registered() ([]info.Method, error) {
	name := f.Account()
	if name == "" {
		return nil, ErrNotSignedIn
	}
	return f.cfg.Dir.Methods(name)
}

// Verified reports whether the person proved a second factor in this
// session: by registering a method, or with StepUp. Creating an app
// password (which skips two-step verification) needs it.
func (f *Flow) Verified() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.verified()
}

func (f *Flow) verified() bool { return len(f.done) > 0 || !f.proved.IsZero() }

// RegisteredNow lists the methods registered in this session, in order.
func (f *Flow) RegisteredNow() []info.Kind {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]info.Kind(nil), f.done...)
}

// KeyringProblem shows the keyring page for err (info.ErrKeyringUnavailable
// or info.ErrKeyringLocked); Retry or Back return to where the person was.
func (f *Flow) KeyringProblem(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.page != PageKeyring {
		f.push(PageKeyring)
	}
	f.keyErr = err
}

// CheckKeyring asks the keyring whether it can be used now. It may take
// up to the keyring's time limit and changes no page, so a UI can call it
// off its thread and hand the result to KeyringChecked.
func (f *Flow) CheckKeyring() error { return f.cfg.Dir.CheckSecrets() }

// KeyringChecked takes CheckKeyring's answer: if the keyring works the
// person returns to the page they were on; otherwise the keyring page
// stays, with the new reason.
func (f *Flow) KeyringChecked(err error) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.page != PageKeyring {
		return ErrNotNow
	}
	if err != nil {
		f.keyErr = err
		return err
	}
	f.keyErr = nil
	return f.pop()
}

func (f *Flow) registeredKinds() (map[info.Kind]bool, error) {
	ms, err := f.cfg.Dir.Methods(f.account.Name)
	if err != nil {
		return nil, fmt.Errorf("reading security info: %w", err)
	}
	have := map[info.Kind]bool{}
	for _, m := range ms {
		have[m.Kind] = true
	}
	return have, nil
}

// advance starts the step at idx, skipping any the account has meanwhile
// registered, or shows Success after the last one.
func (f *Flow) advance() {
	have, err := f.registeredKinds()
	for err == nil && f.idx < len(f.steps) && have[f.steps[f.idx].Kind] && f.steps[f.idx].Kind != info.KindAppPassword {
		f.idx++
	}
	if f.idx >= len(f.steps) {
		f.page = PageSuccess
		return
	}
	f.startStep()
}

func (f *Flow) startStep() {
	f.page = PageMethod
	for f.idx < len(f.steps) {
		st := f.steps[f.idx]
		s, err := f.newSetup(st.Kind)
		switch {
		case err == nil:
			f.setup = s
			return
		case st.Required || errors.Is(err, errNoSetup):
			// Required: never passed by. Without a setup at all, only a
			// required step can be here (New keeps the rest out).
			f.setup = &Unavailable{Method: st.Kind, Err: unlessNoSetup(err)}
			return
		}
		// A method that can't start is not offered: plan again without it.
		f.markBroken(st.Kind, err)
		have, rerr := f.registeredKinds()
		if rerr != nil {
			f.setup = &Unavailable{Method: st.Kind, Err: err}
			return
		}
		for _, done := range f.steps[:f.idx] {
			have[done.Kind] = true
		}
		f.steps = append(f.steps[:f.idx:f.idx], f.planFrom(have, f.idx > 0)...)
	}
	f.setup = nil
	f.page = PageSuccess
}

// errNoSetup means a method has no setup on this station.
var errNoSetup = errors.New("no setup for this method")

func unlessNoSetup(err error) error {
	if errors.Is(err, errNoSetup) {
		return nil
	}
	return err
}

// newSetup starts kind's registration for the signed-in account.
func (f *Flow) newSetup(kind info.Kind) (Setup, error) {
	factory := f.cfg.Setups[kind]
	if factory == nil {
		return nil, errNoSetup
	}
	pol := f.cfg.Policy
	return factory(SetupContext{Account: f.account.Name, Organisation: pol.Organisation, Issuer: pol.Issuer, DefaultRegion: pol.DefaultRegion,
		Dir: f.recorder(f.account.Name, f.gen), Now: f.cfg.Now, Rand: f.cfg.Rand, Send: f.cfg.Send, Translate: f.translator()})
}

// SetTranslator has the messages the methods send from now on (a code by
// email, text or call) said by t, in the language the person is using:
// the UI gives the flow its own, since the translations are the UI's. nil,
// as at first, sends them in English. It is safe to call at any time.
func (f *Flow) SetTranslator(t method.Translator) { f.translate.Store(&t) }

// translator is what SetTranslator gave, or nil.
func (f *Flow) translator() method.Translator {
	if t := f.translate.Load(); t != nil {
		return *t
	}
	return nil
}

func (f *Flow) abortSetup() {
	if f.setup != nil {
		f.setup.Abort()
		f.setup = nil
	}
}

// reset ends the session: the flow is as New made it, on a new generation.
func (f *Flow) reset() {
	f.abortSetup()
	f.abortProof()
	f.gen++
	f.page, f.stack = PageSignIn, nil
	f.account, f.steps, f.idx = info.Account{}, nil, 0
	f.proved, f.tries, f.done, f.keyErr = time.Time{}, regulation.State{}, nil, nil
	f.half, f.rs, f.snoozed, f.adding = info.Account{}, nil, false, false
	f.left, f.broken, f.prior = nil, nil, nil
}
