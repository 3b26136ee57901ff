package wizard_test

import (
	"testing"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// An operator sees that a person has an email address and security
// questions, masked, never the address or the answers' hashes.
func TestFlow_HelpdeskSeesNoAddressOrAnswerHashes(t *testing.T) {
	dir := newStore(t)
	f, _ := helpdesk(t, dir)
	dir.AddMethod("alice@contoso.example", info.Method{ID: "e1", Kind: info.KindEmail, Label: "a•••@fabrikam.example", Email: "alice@fabrikam.example", Created: t0}, nil)
	dir.AddMethod("alice@contoso.example", info.Method{ID: "q1", Kind: info.KindSecurityQuestions, Label: "3 questions", Created: t0,
		Questions: []info.Question{{ID: "first-pet", Hash: "$argon2id$x"}, {ID: "first-car", Hash: "$argon2id$y"}, {Text: "Mine?", Hash: "$argon2id$z"}}}, nil)
	s, err := f.LookUp("alice@contoso.example")
	if err != nil || len(s.Methods) != 4 {
		t.Fatalf("LookUp: %+v, %v", s, err)
	}
	for _, m := range s.Methods {
		if m.Email != "" || len(m.Questions) != 0 || m.Hash != "" {
			t.Errorf("the operator is given %+v", m)
		}
		if m.Kind == info.KindEmail && m.Label != "a•••@fabrikam.example" {
			t.Errorf("email shown as %q", m.Label)
		}
	}
}
