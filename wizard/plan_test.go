package wizard_test

import (
	"reflect"
	"testing"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
)

const (
	app   = info.KindAuthenticatorApp
	phone = info.KindPhone
	email = info.KindEmail
	keyK  = info.KindSecurityKey
	apw   = info.KindAppPassword
)

func TestMakePlan(t *testing.T) {
	def := wizard.Policy{Required: []info.Kind{app, phone}, Allowed: []info.Kind{app, phone, email}, MinMethods: 2, AppPasswords: true}
	reqAPW := def
	reqAPW.AppPasswordsRequired = true
	three := wizard.Policy{Required: []info.Kind{app}, Allowed: []info.Kind{app, phone, email}, MinMethods: 3}
	tests := []struct {
		name string
		p    wizard.Policy
		have []info.Kind
		want []wizard.Step
	}{
		{"nothing registered", def, nil, []wizard.Step{{Kind: app, Required: true}, {Kind: phone, Required: true}, {Kind: apw, Optional: true}}},
		{"app registered", def, []info.Kind{app}, []wizard.Step{{Kind: phone, Required: true}, {Kind: apw, Optional: true}}},
		{"all registered", def, []info.Kind{app, phone}, nil},
		{"app passwords alone never prompt", def, []info.Kind{app, phone, apw}, nil},
		{"app password already there", def, []info.Kind{apw}, []wizard.Step{{Kind: app, Required: true}, {Kind: phone, Required: true}}},
		{"filled to the minimum from allowed", three, nil, []wizard.Step{{Kind: app, Required: true}, {Kind: phone}, {Kind: email}}},
		{"filler skips registered", three, []info.Kind{phone}, []wizard.Step{{Kind: app, Required: true}, {Kind: email}}},
		{"minimum met by other methods", three, []info.Kind{app, email, keyK}, nil},
		{"required app password", reqAPW, nil, []wizard.Step{{Kind: app, Required: true}, {Kind: phone, Required: true}, {Kind: apw, Required: true}}},
		{"required app password, the rest registered", reqAPW, []info.Kind{app, phone}, []wizard.Step{{Kind: apw, Required: true}}},
		{"required app password there", reqAPW, []info.Kind{app, phone, apw}, nil},
		{"phone is never suggested before a stronger method", wizard.Policy{Allowed: []info.Kind{phone, email, app}, MinMethods: 1}, nil, []wizard.Step{{Kind: app}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var ms []info.Method
			for _, k := range tc.have {
				ms = append(ms, info.Method{Kind: k})
			}
			got := wizard.MakePlan(tc.p, ms)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("plan = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestDefaultMethod(t *testing.T) {
	ms := []info.Method{{Kind: email, Label: "e"}, {Kind: phone, Label: "p"}, {Kind: app, Label: "a"}}
	m, ok := wizard.DefaultMethod(ms)
	if !ok || m.Kind != app {
		t.Errorf("default = %v %v, want the authenticator app", m, ok)
	}
	if _, ok := wizard.DefaultMethod([]info.Method{{Kind: email}, {Kind: info.KindSecurityQuestions}}); ok {
		t.Error("a reset-only method became the default sign-in method")
	}
}
