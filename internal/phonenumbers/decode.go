package phonenumbers

// Security Info's fork: decodes the embedded metadata (a serialized
// PhoneMetadataCollection, see phonemetadata.proto) without the protobuf
// runtime, which upstream's proto.Unmarshal needed and nothing else in the
// program did (README.md).
//
// Why a reader of our own rather than google.golang.org/protobuf/encoding/
// protowire: protowire alone does not link the runtime, but it keeps the
// protobuf module in go.mod, and it imports internal/detrand, whose package
// init opens the executable and reads samples of it at every start. What
// this data needs is small: varints, length-delimited fields (strings,
// nested messages, packed repeated varints) and skipping the two fixed-size
// wire types should a later format add such fields.

import (
	"errors"
	"fmt"
)

// errMalformedMetadata is what decodeMetadataCollection's errors wrap.
var errMalformedMetadata = errors.New("phonenumbers: malformed metadata")

// Wire types (https://protobuf.dev/programming-guides/encoding/).
const (
	wireVarint  = 0
	wireFixed64 = 1
	wireBytes   = 2
	wireFixed32 = 5
)

// wireReader reads protobuf fields from buf[pos:end]. The whole collection
// is converted to one string up front, so every string field is a substring
// of it rather than an allocation and copy of its own; an embedded message
// is read by narrowing end rather than with a reader of its own; what the
// fields point to comes from arena.
type wireReader struct {
	buf   string
	pos   int
	end   int
	arena *decodeArena
}

func newWireReader(s string) *wireReader {
	return &wireReader{buf: s, end: len(s), arena: &decodeArena{}}
}

func (r *wireReader) done() bool { return r.pos >= r.end }

// decodeArena hands out the decoded values in blocks: the optional fields
// are pointers, and allocating each (and each message) on its own made
// 21,000 allocations per decode of the phone metadata; with the blocks and
// sub-messages read in place it is 3,400. Everything decoded lives as long
// as the collection, so a block is not kept alive by less than its owner.
type decodeArena struct {
	strings   slab[string]
	int32s    slab[int32]
	bools     slab[bool]
	descs     slab[PhoneNumberDesc]
	formats   slab[NumberFormat]
	metadatas slab[PhoneMetadata]
}

func (a *decodeArena) desc() *PhoneNumberDesc { return a.descs.next() }
func (a *decodeArena) format() *NumberFormat  { return a.formats.next() }
func (a *decodeArena) metadata() *PhoneMetadata {
	return a.metadatas.next()
}

// slab is the unused rest of a block of Ts.
type slab[T any] []T

func (s *slab[T]) next() *T {
	if len(*s) == 0 {
		*s = make([]T, 256)
	}
	p := &(*s)[0]
	*s = (*s)[1:]
	return p
}

func (r *wireReader) varint() (uint64, error) {
	var v uint64
	for shift := 0; shift < 64; shift += 7 {
		if r.pos >= r.end {
			return 0, fmt.Errorf("%w: truncated varint at byte %d", errMalformedMetadata, r.pos)
		}
		c := r.buf[r.pos]
		r.pos++
		v |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return v, nil
		}
	}
	return 0, fmt.Errorf("%w: varint longer than 10 bytes at byte %d", errMalformedMetadata, r.pos)
}

// bytes reads a length-delimited field's contents.
func (r *wireReader) bytes() (string, error) {
	n, err := r.varint()
	if err != nil {
		return "", err
	}
	if n > uint64(r.end-r.pos) {
		return "", fmt.Errorf("%w: field of %d bytes at byte %d overruns its message", errMalformedMetadata, n, r.pos)
	}
	s := r.buf[r.pos : r.pos+int(n)]
	r.pos += int(n)
	return s, nil
}

// key reads a field's number and wire type.
func (r *wireReader) key() (num int, wireType int, err error) {
	k, err := r.varint()
	if err != nil {
		return 0, 0, err
	}
	num, wireType = int(k>>3), int(k&7)
	if num == 0 || k>>3 > 1<<29-1 {
		return 0, 0, fmt.Errorf("%w: invalid field number %d at byte %d", errMalformedMetadata, k>>3, r.pos)
	}
	return num, wireType, nil
}

// skip passes over a field this decoder does not know, as proto.Unmarshal
// did (it kept them as unknown fields, which nothing read).
func (r *wireReader) skip(wireType int) error {
	var n int
	switch wireType {
	case wireVarint:
		_, err := r.varint()
		return err
	case wireBytes:
		_, err := r.bytes()
		return err
	case wireFixed64:
		n = 8
	case wireFixed32:
		n = 4
	default: // groups (3, 4) are not used by these messages; 6, 7 are invalid
		return fmt.Errorf("%w: unsupported wire type %d at byte %d", errMalformedMetadata, wireType, r.pos)
	}
	if r.end-r.pos < n {
		return fmt.Errorf("%w: truncated fixed-size field at byte %d", errMalformedMetadata, r.pos)
	}
	r.pos += n
	return nil
}

// The typed readers set their field only when its wire type is the one the
// schema gives; a field of the right number but another type is skipped, as
// proto.Unmarshal did (it kept it as an unknown field).

func (r *wireReader) readString(wireType int, dst **string) error {
	if wireType != wireBytes {
		return r.skip(wireType)
	}
	s, err := r.bytes()
	if err != nil {
		return err
	}
	p := r.arena.strings.next()
	*p = s
	*dst = p
	return nil
}

func (r *wireReader) readInt32(wireType int, dst **int32) error {
	if wireType != wireVarint {
		return r.skip(wireType)
	}
	v, err := r.varint()
	if err != nil {
		return err
	}
	// A negative int32 is sign-extended to 64 bits on the wire; the
	// conversion keeps the low 32, as protobuf does.
	p := r.arena.int32s.next()
	*p = int32(v)
	*dst = p
	return nil
}

func (r *wireReader) readBool(wireType int, dst **bool) error {
	if wireType != wireVarint {
		return r.skip(wireType)
	}
	v, err := r.varint()
	if err != nil {
		return err
	}
	p := r.arena.bools.next()
	*p = v != 0
	*dst = p
	return nil
}

// appendInt32s reads a repeated int32, which a writer may send either one
// value per field (proto2's default, as phonemetadata.proto declares it) or
// packed into one length-delimited field; parsers must accept both.
func (r *wireReader) appendInt32s(wireType int, dst *[]int32) error {
	switch wireType {
	case wireVarint:
		v, err := r.varint()
		if err != nil {
			return err
		}
		*dst = append(*dst, int32(v))
		return nil
	case wireBytes:
		packed, err := r.bytes()
		if err != nil {
			return err
		}
		sub := wireReader{buf: packed, end: len(packed)}
		for !sub.done() {
			v, err := sub.varint()
			if err != nil {
				return err
			}
			*dst = append(*dst, int32(v))
		}
		return nil
	}
	return r.skip(wireType)
}

func (r *wireReader) appendString(wireType int, dst *[]string) error {
	if wireType != wireBytes {
		return r.skip(wireType)
	}
	s, err := r.bytes()
	if err != nil {
		return err
	}
	*dst = append(*dst, s)
	return nil
}

// readMessage decodes an embedded message field into *dst (taken from the
// arena by alloc if nil, merged into if not) with decode.
func readMessage[M any](r *wireReader, wireType int, dst **M, alloc func(*decodeArena) *M, decode func(*wireReader, *M) error) error {
	if wireType != wireBytes {
		return r.skip(wireType)
	}
	n, err := r.varint()
	if err != nil {
		return err
	}
	if n > uint64(r.end-r.pos) {
		return fmt.Errorf("%w: message of %d bytes at byte %d overruns its parent", errMalformedMetadata, n, r.pos)
	}
	if *dst == nil {
		*dst = alloc(r.arena)
	}
	outer := r.end
	r.end = r.pos + int(n)
	if err := decode(r, *dst); err != nil {
		return err
	}
	// decode read up to r.end exactly: no read goes past it.
	r.end = outer
	return nil
}

// appendMessage decodes one element of a repeated message field.
func appendMessage[M any](r *wireReader, wireType int, dst *[]*M, alloc func(*decodeArena) *M, decode func(*wireReader, *M) error) error {
	var m *M
	if err := readMessage(r, wireType, &m, alloc, decode); err != nil || m == nil {
		return err
	}
	*dst = append(*dst, m)
	return nil
}

// decodeMetadataCollection decodes a serialized PhoneMetadataCollection,
// with proto.Unmarshal's semantics for this schema: a repeated field appends,
// a scalar seen twice keeps the last value, an embedded message seen twice is
// merged, unknown fields are skipped and a missing required field is an error.
func decodeMetadataCollection(data []byte) (*PhoneMetadataCollection, error) {
	coll := &PhoneMetadataCollection{}
	if err := decodeCollection(newWireReader(string(data)), coll); err != nil {
		return nil, err
	}
	return coll, nil
}

func decodeCollection(r *wireReader, c *PhoneMetadataCollection) error {
	for !r.done() {
		num, wt, err := r.key()
		if err != nil {
			return err
		}
		if num == 1 {
			err = appendMessage(r, wt, &c.Metadata, (*decodeArena).metadata, decodePhoneMetadata)
		} else {
			err = r.skip(wt)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// descField is the PhoneNumberDesc field of m with that number, or nil.
func (m *PhoneMetadata) descField(num int) **PhoneNumberDesc {
	switch num {
	case 1:
		return &m.GeneralDesc
	case 2:
		return &m.FixedLine
	case 3:
		return &m.Mobile
	case 4:
		return &m.TollFree
	case 5:
		return &m.PremiumRate
	case 6:
		return &m.SharedCost
	case 7:
		return &m.PersonalNumber
	case 8:
		return &m.Voip
	case 21:
		return &m.Pager
	case 24:
		return &m.NoInternationalDialling
	case 25:
		return &m.Uan
	case 27:
		return &m.Emergency
	case 28:
		return &m.Voicemail
	case 29:
		return &m.ShortCode
	case 30:
		return &m.StandardRate
	case 31:
		return &m.CarrierSpecific
	case 33:
		return &m.SmsServices
	}
	return nil
}

// stringField is the optional string field of m with that number, or nil.
func (m *PhoneMetadata) stringField(num int) **string {
	switch num {
	case 9:
		return &m.Id
	case 11:
		return &m.InternationalPrefix
	case 12:
		return &m.NationalPrefix
	case 13:
		return &m.PreferredExtnPrefix
	case 15:
		return &m.NationalPrefixForParsing
	case 16:
		return &m.NationalPrefixTransformRule
	case 17:
		return &m.PreferredInternationalPrefix
	case 23:
		return &m.LeadingDigits
	}
	return nil
}

// boolField is the optional bool field of m with that number, or nil.
func (m *PhoneMetadata) boolField(num int) **bool {
	switch num {
	case 18:
		return &m.SameMobileAndFixedLinePattern
	case 22:
		return &m.MainCountryForCode
	case 26:
		return &m.LeadingZeroPossible
	case 32:
		return &m.MobileNumberPortableRegion
	}
	return nil
}

func decodePhoneMetadata(r *wireReader, m *PhoneMetadata) error {
	for !r.done() {
		num, wt, err := r.key()
		if err != nil {
			return err
		}
		if d := m.descField(num); d != nil {
			err = readMessage(r, wt, d, (*decodeArena).desc, decodePhoneNumberDesc)
		} else if s := m.stringField(num); s != nil {
			err = r.readString(wt, s)
		} else if b := m.boolField(num); b != nil {
			err = r.readBool(wt, b)
		} else {
			switch num {
			case 10:
				err = r.readInt32(wt, &m.CountryCode)
			case 19:
				err = appendMessage(r, wt, &m.NumberFormat, (*decodeArena).format, decodeNumberFormat)
			case 20:
				err = appendMessage(r, wt, &m.IntlNumberFormat, (*decodeArena).format, decodeNumberFormat)
			default:
				err = r.skip(wt)
			}
		}
		if err != nil {
			return err
		}
	}
	if m.Id == nil {
		return fmt.Errorf("%w: PhoneMetadata without its required id", errMalformedMetadata)
	}
	return nil
}

func decodePhoneNumberDesc(r *wireReader, d *PhoneNumberDesc) error {
	for !r.done() {
		num, wt, err := r.key()
		if err != nil {
			return err
		}
		switch num {
		case 2:
			err = r.readString(wt, &d.NationalNumberPattern)
		case 6:
			err = r.readString(wt, &d.ExampleNumber)
		case 9:
			err = r.appendInt32s(wt, &d.PossibleLength)
		case 10:
			err = r.appendInt32s(wt, &d.PossibleLengthLocalOnly)
		default:
			err = r.skip(wt)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func decodeNumberFormat(r *wireReader, f *NumberFormat) error {
	for !r.done() {
		num, wt, err := r.key()
		if err != nil {
			return err
		}
		switch num {
		case 1:
			err = r.readString(wt, &f.Pattern)
		case 2:
			err = r.readString(wt, &f.Format)
		case 3:
			err = r.appendString(wt, &f.LeadingDigitsPattern)
		case 4:
			err = r.readString(wt, &f.NationalPrefixFormattingRule)
		case 5:
			err = r.readString(wt, &f.DomesticCarrierCodeFormattingRule)
		case 6:
			err = r.readBool(wt, &f.NationalPrefixOptionalWhenFormatting)
		default:
			err = r.skip(wt)
		}
		if err != nil {
			return err
		}
	}
	if f.Pattern == nil || f.Format == nil {
		return fmt.Errorf("%w: NumberFormat without its required pattern and format", errMalformedMetadata)
	}
	return nil
}
