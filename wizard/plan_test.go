package wizard_test

import (
	"reflect"
	"testing"

	"github.com/securityinfo/securityinfo/storage"
	"github.com/securityinfo/securityinfo/wizard"
)

const (
	app   = storage.KindAuthenticatorApp
	phone = storage.KindPhone
	email = storage.KindEmail
	keyK  = storage.KindSecurityKey
	apw   = storage.KindAppPassword
)

func TestMakePlan(t *testing.T) {
	def := wizard.Policy{Required: []storage.MethodKind{app, phone}, Allowed: []storage.MethodKind{app, phone, email}, MinMethods: 2, AppPasswords: true}
	three := wizard.Policy{Required: []storage.MethodKind{app}, Allowed: []storage.MethodKind{app, phone, email}, MinMethods: 3}
	tests := []struct {
		name string
		p    wizard.Policy
		have []storage.MethodKind
		want []wizard.Step
	}{
		{"nothing registered", def, nil, []wizard.Step{{Kind: app, Required: true}, {Kind: phone, Required: true}, {Kind: apw, Optional: true}}},
		{"app registered", def, []storage.MethodKind{app}, []wizard.Step{{Kind: phone, Required: true}, {Kind: apw, Optional: true}}},
		{"all registered", def, []storage.MethodKind{app, phone}, nil},
		{"app passwords alone never prompt", def, []storage.MethodKind{app, phone, apw}, nil},
		{"app password already there", def, []storage.MethodKind{apw}, []wizard.Step{{Kind: app, Required: true}, {Kind: phone, Required: true}}},
		{"filled to the minimum from allowed", three, nil, []wizard.Step{{Kind: app, Required: true}, {Kind: phone}, {Kind: email}}},
		{"filler skips registered", three, []storage.MethodKind{phone}, []wizard.Step{{Kind: app, Required: true}, {Kind: email}}},
		{"minimum met by other methods", three, []storage.MethodKind{app, email, keyK}, nil},
		{"phone is never suggested before a stronger method", wizard.Policy{Allowed: []storage.MethodKind{phone, email, app}, MinMethods: 1}, nil, []wizard.Step{{Kind: app}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var ms []storage.Method
			for _, k := range tc.have {
				ms = append(ms, storage.Method{Kind: k})
			}
			got := wizard.MakePlan(tc.p, ms)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("plan = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestDefaultMethod(t *testing.T) {
	ms := []storage.Method{{Kind: email, Label: "e"}, {Kind: phone, Label: "p"}, {Kind: app, Label: "a"}}
	m, ok := wizard.DefaultMethod(ms)
	if !ok || m.Kind != app {
		t.Errorf("default = %v %v, want the authenticator app", m, ok)
	}
	if _, ok := wizard.DefaultMethod([]storage.Method{{Kind: email}, {Kind: storage.KindSecurityQuestions}}); ok {
		t.Error("a reset-only method became the default sign-in method")
	}
}
