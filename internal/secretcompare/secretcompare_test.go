package secretcompare

import (
	"go/ast"
	"os/exec"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// TestAnalyzer_ReportsWhatItMust runs the analyzer on testdata/src/a, whose
// `// want` comments are what it must report; every other line must give
// nothing.
func TestAnalyzer_ReportsWhatItMust(t *testing.T) {
	saved := ConstantTimeFuncs
	ConstantTimeFuncs = []string{"a.Verify"}
	defer func() { ConstantTimeFuncs = saved }()
	analysistest.Run(t, analysistest.TestData(), Analyzer, "a")
}

func TestWords(t *testing.T) {
	for name, want := range map[string]string{
		"codeMAC": "code MAC", "lastStep": "last Step", "DummyHash": "Dummy Hash",
		"argon2id": "argon2id", "app_password": "app password", "HTTPServer": "HTTP Server", "x": "x",
	} {
		if got := strings.Join(words(name), " "); got != want {
			t.Errorf("words(%q) = %q, want %q", name, got, want)
		}
	}
}

// TestModule_SecretsComparedInConstantTime is the check on the project
// itself: no package of the module (tests aside) compares a value derived
// from a secret with ==, != or bytes.Equal and the like, and the functions
// that must check every candidate have no early exit in their loops.
func TestModule_SecretsComparedInConstantTime(t *testing.T) {
	if testing.Short() {
		t.Skip("loads and type-checks the whole module")
	}
	pkgs := loadModule(t)
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
	// The functions named in ConstantTimeFuncs must still exist, or the
	// check of their loops has silently stopped.
	seen := map[string]bool{}
	for _, p := range pkgs {
		for _, f := range p.Syntax {
			for _, d := range f.Decls {
				if fd, ok := d.(*ast.FuncDecl); ok {
					seen[FuncName(p.PkgPath, fd)] = true
				}
			}
		}
	}
	for _, f := range ConstantTimeFuncs {
		if !seen[f] {
			t.Errorf("ConstantTimeFuncs names %s, which no longer exists: update the list", f)
		}
	}
}

// loadModule type-checks every package of the module, without its tests.
func loadModule(t *testing.T) []*packages.Package {
	t.Helper()
	root, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}").Output()
	if err != nil {
		t.Fatalf("go list -m: %v", err)
	}
	cfg := &packages.Config{
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedSyntax | packages.NeedTypes |
			packages.NeedTypesInfo | packages.NeedTypesSizes | packages.NeedImports | packages.NeedModule,
		Dir: strings.TrimSpace(string(root)),
	}
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		t.Fatal(err)
	}
	if n := packages.PrintErrors(pkgs); n > 0 {
		t.Fatalf("%d errors loading the module", n)
	}
	if len(pkgs) < 10 {
		t.Fatalf("loaded only %d packages", len(pkgs))
	}
	return pkgs
}
