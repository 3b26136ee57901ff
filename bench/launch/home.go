// Package launch holds what the start-up benchmarks (bench/harness and
// bench/ab) share to start the app as a person's first or next start.
package launch

import (
	"os"
	"path/filepath"
	"strings"
)

// Home makes a fresh set of HOME, XDG and Mesa shader cache directories
// under dir and returns this process's environment using them: a start
// with it is a first start (nothing cached), and later starts with the
// same environment are warm ones.
func Home(dir string) ([]string, error) {
	root, err := os.MkdirTemp(dir, "home-")
	if err != nil {
		return nil, err
	}
	set := map[string]string{"HOME": "home", "XDG_CONFIG_HOME": "config", "XDG_CACHE_HOME": "cache",
		"XDG_DATA_HOME": "data", "MESA_SHADER_CACHE_DIR": "cache/mesa_shader_cache"}
	var env []string
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); set[k] == "" && k != "MESA_GLSL_CACHE_DIR" && k != "GODEBUG" {
			env = append(env, kv)
		}
	}
	for k, d := range set {
		if err := os.MkdirAll(filepath.Join(root, d), 0o700); err != nil {
			return nil, err
		}
		env = append(env, k+"="+filepath.Join(root, d))
	}
	return env, nil
}
