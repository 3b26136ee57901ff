package cli

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"
)

// usageTemplate is cobra's usage template, changed so that a command's
// help lists the full call of each command it holds (or of its sibling
// commands), the way an administrator types it.
const usageTemplate = `Usage:{{if not .HasParent}}
  {{.UseLine}}{{end}}{{if .HasAvailableSubCommands}}
  {{.CommandPath}} COMMAND [ARGS]{{else}}
  {{.UseLine}}{{end}}{{if .HasAvailableSubCommands}}

Commands:
{{commandTable .}}{{end}}{{with siblingTable .}}

Other {{$.Parent.Name}} commands:
{{.}}{{end}}{{if .HasAvailableLocalFlags}}

Flags:
{{.LocalFlags.FlagUsages | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableInheritedFlags}}

Global flags (before or after the command):
{{.InheritedFlags.FlagUsages | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableSubCommands}}

Run 'securityinfo {{if .HasParent}}{{commandPath .}} {{end}}COMMAND --help' for more about a command.{{end}}
`

func init() {
	// List commands in the order they are added: the common ones first.
	cobra.EnableCommandSorting = false
	cobra.AddTemplateFunc("commandTable", func(c *cobra.Command) string { return table(leaves(c)) })
	cobra.AddTemplateFunc("siblingTable", siblingTable)
	cobra.AddTemplateFunc("commandPath", pathFromRoot)
}

// leaves lists the commands under c that do the work, depth first.
func leaves(c *cobra.Command) []*cobra.Command {
	var out []*cobra.Command
	for _, s := range c.Commands() {
		if !s.IsAvailableCommand() {
			continue
		}
		if s.HasAvailableSubCommands() {
			out = append(out, leaves(s)...)
			continue
		}
		out = append(out, s)
	}
	return out
}

// siblingTable lists the other commands of c's group ("" at the top
// level).
func siblingTable(c *cobra.Command) string {
	p := c.Parent()
	if p == nil || !p.HasParent() || c.HasAvailableSubCommands() {
		return ""
	}
	var sibs []*cobra.Command
	for _, s := range leaves(p) {
		if s != c {
			sibs = append(sibs, s)
		}
	}
	return table(sibs)
}

// pathFromRoot is c's path without the program name ("user add").
func pathFromRoot(c *cobra.Command) string {
	return strings.TrimSpace(strings.TrimPrefix(c.CommandPath(), c.Root().Name()))
}

// call is how a command is typed, without the program name.
func call(c *cobra.Command) string {
	return strings.TrimSpace(strings.TrimPrefix(c.UseLine(), c.Root().Name()))
}

// table lines up commands' calls and short descriptions.
func table(cs []*cobra.Command) string {
	if len(cs) == 0 {
		return ""
	}
	width := 0
	for _, c := range cs {
		width = max(width, utf8.RuneCountInString(call(c)))
	}
	width = min(width, 46)
	var b strings.Builder
	for i, c := range cs {
		if i > 0 {
			b.WriteByte('\n')
		}
		u := call(c)
		if utf8.RuneCountInString(u) > width {
			fmt.Fprintf(&b, "  %s\n  %-*s  %s", u, width, "", c.Short)
			continue
		}
		fmt.Fprintf(&b, "  %-*s  %s", width, u, c.Short)
	}
	return b.String()
}

// shells are the shells `completion` writes a script for.
var shells = []string{"bash", "zsh", "fish", "powershell"}

func completionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: "Print a shell completion script",
		Long: `Prints a script that lets your shell complete securityinfo's commands
and flags. For bash, for example:

  source <(securityinfo completion bash)

or, for every new shell, save it as
/etc/bash_completion.d/securityinfo (or, for you alone,
~/.local/share/bash-completion/completions/securityinfo).`,
		ValidArgs: shells,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("completion needs one shell: %s", strings.Join(shells, ", "))
			}
			for _, s := range shells {
				if args[0] == s {
					return nil
				}
			}
			return usagef("no completion for %s: use %s", quote(args[0]), strings.Join(shells, ", "))
		},
		RunE: act(func(cmd *cobra.Command, args []string) error {
			root, w := cmd.Root(), cmd.OutOrStdout()
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(w, true)
			case "zsh":
				return root.GenZshCompletion(w)
			case "fish":
				return root.GenFishCompletion(w, true)
			default:
				return root.GenPowerShellCompletionWithDesc(w)
			}
		}),
	}
}
