// sqlite-backup takes a consistent copy of a SQLite database that another process may be
// writing, here Temporal's dev-server store. `npm run backup` runs it (embedded/backup/).
//
//	sqlite-backup SOURCE DESTINATION
//
// It runs `VACUUM INTO`: one read transaction under SQLite's own file locks, so the copy is
// the database as of one instant even while Temporal commits. A plain `cp` of a live file can
// catch half of a transaction. The copy is then synced to disk and checked with
// `PRAGMA integrity_check`; on success one JSON line reports its size.
//
// Pure Go (modernc.org/sqlite, the driver and version the Temporal CLI is built with), so it
// needs no C compiler and no system sqlite3.
package main

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite"
)

// How long to wait for Temporal's write lock before giving up (SQLITE_BUSY).
const busyTimeoutMs = 30_000

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: sqlite-backup SOURCE DESTINATION\n  Copies the SQLite database SOURCE consistently (VACUUM INTO) to DESTINATION, which must not exist.")
		os.Exit(2)
	}
	report, err := backup(os.Args[1], os.Args[2])
	if err != nil {
		fmt.Fprintf(os.Stderr, "sqlite-backup: %v\n", err)
		os.Exit(1)
	}
	_ = json.NewEncoder(os.Stdout).Encode(report)
}

type report struct {
	Bytes      int64  `json:"bytes"`
	Pages      int64  `json:"pages"`
	Integrity  string `json:"integrity"`
	DurationMs int64  `json:"durationMs"`
}

func backup(source, destination string) (*report, error) {
	started := time.Now()
	source, err := filepath.Abs(source)
	if err != nil {
		return nil, err
	}
	destination, err = filepath.Abs(destination)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(source); err != nil {
		return nil, fmt.Errorf("no database at %s: %w", source, err)
	}
	if _, err := os.Stat(destination); err == nil {
		return nil, fmt.Errorf("%s already exists; VACUUM INTO writes a new file", destination)
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}

	// mode=rw: never create the source. A hot journal left by a crashed writer is rolled back
	// first, as any SQLite connection would.
	db, err := open(source, "rw")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if _, err := db.Exec("VACUUM INTO ?", destination); err != nil {
		_ = os.Remove(destination)
		return nil, fmt.Errorf("VACUUM INTO %s: %w", destination, err)
	}

	// SQLite does not fsync the file VACUUM INTO writes.
	if err := syncFile(destination); err != nil {
		return nil, err
	}

	copyDB, err := open(destination, "ro")
	if err != nil {
		return nil, err
	}
	defer copyDB.Close()
	var integrity string
	if err := copyDB.QueryRow("PRAGMA integrity_check").Scan(&integrity); err != nil {
		return nil, fmt.Errorf("integrity check of the copy: %w", err)
	}
	if integrity != "ok" {
		return nil, fmt.Errorf("the copy failed its integrity check: %s", integrity)
	}
	var pages int64
	if err := copyDB.QueryRow("PRAGMA page_count").Scan(&pages); err != nil {
		return nil, err
	}
	info, err := os.Stat(destination)
	if err != nil {
		return nil, err
	}
	return &report{Bytes: info.Size(), Pages: pages, Integrity: integrity, DurationMs: time.Since(started).Milliseconds()}, nil
}

func open(file, mode string) (*sql.DB, error) {
	query := url.Values{}
	query.Set("mode", mode)
	query.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeoutMs))
	dsn := "file:" + (&url.URL{Path: file}).EscapedPath() + "?" + query.Encode()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", file, err)
	}
	// One connection: VACUUM INTO and the checks run on the same one.
	db.SetMaxOpenConns(1)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", file, err)
	}
	return db, nil
}

func syncFile(file string) error {
	f, err := os.OpenFile(file, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
