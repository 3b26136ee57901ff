package wizard_test

import (
	"strings"
	"testing"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	phonemethod "github.com/securityinfo/securityinfo/wizard/phone"
)

// marked is a Translator for a language of its own, "xx": each sentence
// in English, between guillemets.
func marked(key string, data map[string]any) string {
	if key == "" {
		return "xx"
	}
	return "«" + method.English(key, data) + "»"
}

// The flow hands the translator it was given (the UI's) to the setups and
// the Provers it starts: the text that registers a phone and the one that
// proves it at the next sign-in are both said in its language.
func TestFlow_SentMessagesInTheTranslatorsLanguage(t *testing.T) {
	const alice, pw = "alice@contoso.example", "correct-horse-42"
	dir := newStore(t)
	addAccount(t, dir, alice, pw)
	box := &testkit.Phone{}
	phonemethod.SharedLimiter = phonemethod.NewLimiter(phonemethod.MaxSendsPerHour, phonemethod.SendWindow)
	clock := newClock(t0)
	newFlow := func() *wizard.Flow {
		f := wizard.New(wizard.Config{Policy: mustPolicy(t, "organisation = \"Contoso\"\nrequired = [\"phone\"]\nallowed = [\"phone\"]\n"),
			Dir: dir, Now: clock.Now, Rand: seeded(), Send: box,
			Setups:  map[info.Kind]wizard.SetupFactory{info.KindPhone: phonemethod.NewSetup},
			Provers: map[info.Kind]method.ProverFactory{info.KindPhone: phonemethod.NewProver}})
		f.SetTranslator(marked)
		return f
	}

	f := newFlow()
	if err := f.SignIn(alice, pw); err != nil {
		t.Fatal(err)
	}
	if err := f.Next(); err != nil {
		t.Fatal(err)
	}
	s := f.Setup().(*phonemethod.Setup)
	if err := s.Send("+1 201 555 0123", wizard.ChannelSMS); err != nil {
		t.Fatal(err)
	}
	code := box.LastCode(t)
	if got, want := box.Last(t).Text, "«Use verification code "+code+" for Contoso security info registration.»"; got != want || box.Last(t).Language != "xx" {
		t.Fatalf("registration text %q in %q, want %q in xx", got, box.Last(t).Language, want)
	}
	if err := s.Submit(code); err != nil {
		t.Fatal(err)
	}

	clock.Add(phonemethod.MaxCooldown)
	g := newFlow()
	if err := g.SignIn(alice, pw); err != nil {
		t.Fatal(err)
	}
	opts, err := g.ProofOptions()
	if err != nil || len(opts) != 1 {
		t.Fatalf("proof options %v, %v", opts, err)
	}
	if _, err := g.StartProof(opts[0]); err != nil {
		t.Fatal(err)
	}
	code = box.LastCode(t)
	if got, want := box.Last(t).Text, "«Use verification code "+code+" to confirm it's you at Contoso security info.»"; got != want || box.Last(t).Language != "xx" {
		t.Fatalf("sign-in text %q in %q, want %q in xx", got, box.Last(t).Language, want)
	}

	// A new number, from the Security info page.
	if err := g.Prove([]string{code}); err != nil {
		t.Fatal(err)
	}
	if err := g.OpenManage(); err != nil {
		t.Fatal(err)
	}
	ms, _ := dir.Methods(alice)
	if err := g.ChangePhone(ms[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := g.Setup().(*phonemethod.Setup).Send("+1 201 555 0199", wizard.ChannelVoice); err != nil {
		t.Fatal(err)
	}
	if got := box.Last(t).Text; !strings.HasPrefix(got, "«Hello. Your Contoso verification code is ") || !strings.HasSuffix(got, "»") || box.Last(t).Language != "xx" {
		t.Fatalf("call for a changed number says %q", got)
	}
}
