package randsource

import (
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// TestAnalyzer_ReportsWhatItMust runs the analyzer on testdata/src/r, whose
// `// want` comments are what it must report.
func TestAnalyzer_ReportsWhatItMust(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), Analyzer, "r")
}

// TestModule_SecretsFromCryptoRand is the check on the project itself:
// the wiring (main.go's wizard.Config, the admin commands) and every
// default reader (each method's NewSetup when ctx.Rand is nil) hand
// crypto/rand.Reader down, and nothing else, to where secrets are made.
func TestModule_SecretsFromCryptoRand(t *testing.T) {
	if testing.Short() {
		t.Skip("loads and type-checks the whole module")
	}
	root := moduleDir(t)
	pkgs, err := packages.Load(&packages.Config{
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedSyntax | packages.NeedTypes |
			packages.NeedTypesInfo | packages.NeedTypesSizes | packages.NeedImports | packages.NeedModule,
		Dir: root,
	}, "./...")
	if err != nil {
		t.Fatal(err)
	}
	if n := packages.PrintErrors(pkgs); n > 0 || len(pkgs) < 10 {
		t.Fatalf("%d errors loading %d packages", n, len(pkgs))
	}
	graph, err := checker.Analyze([]*analysis.Analyzer{Analyzer}, pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	for act := range graph.All() {
		if act.Err != nil {
			t.Errorf("%s: %v", act.Package.PkgPath, act.Err)
		}
		for _, d := range act.Diagnostics {
			t.Errorf("%s: %s", act.Package.Fset.Position(d.Pos), d.Message)
		}
	}
}

// TestModule_NoMathRand: no package of the module (tests aside) imports
// math/rand or math/rand/v2, whose output can be predicted; benchmarks
// and test support included, so that none of it can be wired in by
// mistake.
func TestModule_NoMathRand(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", "-json=ImportPath,Imports,Module,Standard", "./...")
	cmd.Dir = moduleDir(t)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	ours := 0
	for {
		var p struct {
			ImportPath string
			Imports    []string
			Standard   bool
			Module     *struct{ Path string }
		}
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		if p.Module == nil || p.Module.Path != "github.com/securityinfo/securityinfo" {
			continue
		}
		ours++
		for _, imp := range p.Imports {
			if imp == "math/rand" || imp == "math/rand/v2" {
				t.Errorf("%s imports %s: draw secrets from crypto/rand", p.ImportPath, imp)
			}
		}
	}
	if ours < 10 {
		t.Fatalf("go list found only %d of the module's packages", ours)
	}
}

func moduleDir(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}").Output()
	if err != nil {
		t.Fatalf("go list -m: %v", err)
	}
	return strings.TrimSpace(string(out))
}
