package wizard

import (
	"sort"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// Step is one section of the "Keep your account secure" wizard.
type Step struct {
	// Kind is the method this step registers.
	Kind info.Kind
	// Required steps come from the policy's required list; the wizard
	// cannot finish without them.
	Required bool
	// Optional steps (the App password section) may be skipped.
	Optional bool
}

// MakePlan turns the policy and an account's registered methods into the
// ordered steps the wizard still has to take: the required methods the
// account lacks, then allowed methods until MinMethods is reached, then the
// App password section if the policy turns it on: optional when allowed
// (and only beside other steps), required when the policy requires app
// passwords and the account has none. An empty plan means the
// account's security info is complete.
func MakePlan(p Policy, registered []info.Method) []Step {
	have := map[info.Kind]bool{}
	for _, m := range registered {
		have[m.Kind] = true
	}
	var steps []Step
	count := 0
	for k := range have {
		if Known(k) {
			count++
		}
	}
	for _, k := range p.Required {
		if !have[k] {
			steps = append(steps, Step{Kind: k, Required: true})
			have[k] = true
			count++
		}
	}
	// Fill up with the strongest allowed methods first, so that a weaker
	// method (phone) is never the one suggested when a stronger one is
	// allowed; the person can still choose it.
	fill := append([]info.Kind(nil), p.Allowed...)
	sort.SliceStable(fill, func(i, j int) bool { return Describe(fill[i]).Strength > Describe(fill[j]).Strength })
	for _, k := range fill {
		if count >= p.MinMethods {
			break
		}
		if !have[k] {
			steps = append(steps, Step{Kind: k})
			have[k] = true
			count++
		}
	}
	switch {
	case have[info.KindAppPassword]:
	case p.AppPasswordsRequired:
		// "must be filled out": asked for until there is one.
		steps = append(steps, Step{Kind: info.KindAppPassword, Required: true})
	case len(steps) > 0 && p.AppPasswords:
		steps = append(steps, Step{Kind: info.KindAppPassword, Optional: true})
	}
	return steps
}

// DefaultMethod picks the method used by default for two-step verification:
// the strongest registered one. ok is false if none can be used for it.
func DefaultMethod(methods []info.Method) (m info.Method, ok bool) {
	best := -1
	for _, x := range methods {
		info := Describe(x.Kind)
		if info.TwoStep && info.Strength > best {
			m, best, ok = x, info.Strength, true
		}
	}
	return m, ok
}
