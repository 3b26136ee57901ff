package ui

import (
	"image/color"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// The icons of every dialog: the buttons' and the question's. Made on
// first use: Fyne's theme icons can't be read before the app exists.
var (
	iconCancel = sync.OnceValue(func() *themeIcon {
		return newThemeIcon(theme.CancelIcon(), theme.ColorNameForeground)
	})
	iconConfirm = sync.OnceValue(func() *themeIcon {
		return newThemeIcon(theme.ConfirmIcon(), theme.ColorNameForegroundOnPrimary)
	})
	iconQuestion = sync.OnceValue(func() *themeIcon {
		return newThemeIcon(theme.QuestionIcon(), theme.ColorNameForeground)
	})
)

// themeIcon is one of Fyne's theme icons in one of the theme's colours,
// recoloured once per colour. Fyne's own themed icons recolour their SVG
// (an XML parse and print) every time they are read, and a dialog's icon
// and buttons read theirs several times while it is built and shown:
// about a third of the time it took to open "Sign out without
// finishing?" (ui BenchmarkTransition app-cancel).
//
// It is a fyne.ThemedResource in colour: a button of that colour then
// uses it as it is (a primary button's icon in ColorNameForegroundOnPrimary).
type themeIcon struct {
	source fyne.Resource
	name   fyne.ThemeColorName

	mu      sync.Mutex
	colour  color.Color // the colour content is in
	content []byte
}

func newThemeIcon(source fyne.Resource, name fyne.ThemeColorName) *themeIcon {
	return &themeIcon{source: source, name: name}
}

// Name is the name Fyne gives the same icon in the same colour.
func (i *themeIcon) Name() string { return string(i.name) + "_" + i.source.Name() }

// ThemeColorName is the colour the icon is drawn in.
func (i *themeIcon) ThemeColorName() fyne.ThemeColorName { return i.name }

// Content is the icon's SVG in the current theme's colour, recoloured
// only when that colour changed since the last call.
func (i *themeIcon) Content() []byte {
	c := theme.Color(i.name)
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.content == nil || i.colour != c {
		i.content = theme.NewColoredResource(i.source, i.name).Content()
		i.colour = c
	}
	return i.content
}
