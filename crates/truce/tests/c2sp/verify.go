// An independent client of a Truce node's log, written with the Go team's sumdb packages
// (golang.org/x/mod/sumdb/note and tlog), which no one on Truce wrote: it checks the
// checkpoint's signature by the log key (C2SP signed-note), recomputes the tree's root from
// the hash tiles (C2SP tlog-tiles, read through tlog.TileHashReader, which authenticates
// every tile against the signed root), and checks every entry in the entry bundles against
// its leaf hash in the tree.
//
// Usage: go run verify.go NODE_URL LOG_VKEY   (exit 0: all checked; 1: a fault, named)
package main

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// tileHeight is tlog-tiles' fixed tile height: 2^8 = 256 hashes a tile.
const tileHeight = 8

func get(url string) ([]byte, error) {
	response, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer response.Body.Close()
	if response.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: HTTP %d", url, response.StatusCode)
	}
	return io.ReadAll(response.Body)
}

// tiles reads hash tiles from the node: Go names them tile/8/L/N, tlog-tiles tile/L/N.
type tiles struct{ base string }

func (t tiles) Height() int { return tileHeight }

func (t tiles) ReadTiles(wanted []tlog.Tile) ([][]byte, error) {
	data := make([][]byte, len(wanted))
	for i, tile := range wanted {
		path := "tile/" + strings.TrimPrefix(tile.Path(), "tile/8/")
		bytes, err := get(t.base + "/log/" + path)
		if err != nil {
			return nil, err
		}
		data[i] = bytes
	}
	return data, nil
}

func (t tiles) SaveTiles([]tlog.Tile, [][]byte) {}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "FAIL: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	if len(os.Args) != 3 {
		fail("usage: verify NODE_URL LOG_VKEY")
	}
	base, vkey := strings.TrimSuffix(os.Args[1], "/"), os.Args[2]
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		fail("the log key: %v", err)
	}
	checkpoint, err := get(base + "/log/checkpoint")
	if err != nil {
		fail("%v", err)
	}
	signed, err := note.Open(checkpoint, note.VerifierList(verifier))
	if err != nil {
		fail("the checkpoint's signature: %v", err)
	}
	lines := strings.Split(signed.Text, "\n")
	if len(lines) < 4 || lines[0] != verifier.Name() {
		fail("the checkpoint's origin %q is not the key's name %q", lines[0], verifier.Name())
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		fail("the checkpoint's size: %v", err)
	}
	rootBytes, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(rootBytes) != tlog.HashSize {
		fail("the checkpoint's root hash %q", lines[2])
	}
	var root tlog.Hash
	copy(root[:], rootBytes)
	reader := tlog.TileHashReader(tlog.Tree{N: size, Hash: root}, tiles{base})
	computed, err := tlog.TreeHash(size, reader)
	if err != nil {
		fail("the tree from its tiles: %v", err)
	}
	if computed != root {
		fail("the tiles hash to %v, not to the checkpoint's root %v", computed, root)
	}
	checkEntries(base, size, reader)
	fmt.Printf("ok: %s, %d entries, root %s\n", verifier.Name(), size, lines[2])
}

// checkEntries reads every entry bundle (tile/entries/N: each entry a big-endian 16-bit
// length and its bytes) and compares each entry's record hash with the tree's leaf.
func checkEntries(base string, size int64, reader tlog.HashReader) {
	width := int64(1) << tileHeight
	for n := int64(0); n*width < size; n++ {
		w := size - n*width
		if w > width {
			w = width
		}
		tile := tlog.Tile{H: tileHeight, L: -1, N: n, W: int(w)}
		path := "tile/entries/" + strings.TrimPrefix(tile.Path(), "tile/8/data/")
		bundle, err := get(base + "/log/" + path)
		if err != nil {
			fail("%v", err)
		}
		for j := int64(0); j < w; j++ {
			if len(bundle) < 2 {
				fail("%s ends before entry %d", path, n*width+j)
			}
			length := int(binary.BigEndian.Uint16(bundle))
			if len(bundle) < 2+length {
				fail("%s ends inside entry %d", path, n*width+j)
			}
			leaf := tlog.RecordHash(bundle[2 : 2+length])
			bundle = bundle[2+length:]
			stored, err := reader.ReadHashes([]int64{tlog.StoredHashIndex(0, n*width+j)})
			if err != nil {
				fail("the leaf of entry %d: %v", n*width+j, err)
			}
			if stored[0] != leaf {
				fail("entry %d does not hash to its leaf in the tree", n*width+j)
			}
		}
		if len(bundle) != 0 {
			fail("%s holds more than %d entries", path, w)
		}
	}
}
