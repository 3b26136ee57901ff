package phonenumbers

import "testing"

// Security Info's fork: what decoding the embedded metadata costs on first
// use (gunzip included), the number issue #17 compares before and after
// replacing the protobuf runtime with decodeCollection.
func BenchmarkMetadataCollection(b *testing.B) {
	b.ReportAllocs()
	for range b.N {
		metadataCollMu.Lock()
		reloadMetadata = true
		metadataCollMu.Unlock()
		if _, err := MetadataCollection(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkShortNumberMetadataCollection(b *testing.B) {
	b.ReportAllocs()
	for range b.N {
		shortNumberCollMu.Lock()
		shortNumberReloadMetadata = true
		shortNumberCollMu.Unlock()
		if _, err := ShortNumberMetadataCollection(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGunzip is the part of the above that is not protobuf decoding.
func BenchmarkGunzip(b *testing.B) {
	b.ReportAllocs()
	for range b.N {
		if _, err := decodeUnzip(numberData); err != nil {
			b.Fatal(err)
		}
	}
}
