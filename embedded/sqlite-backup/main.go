// sqlite-backup takes a consistent copy of a SQLite database that another process may be
// writing, here Temporal's dev-server store. `npm run backup` runs it (embedded/backup/).
//
//	sqlite-backup [--hold] SOURCE DESTINATION
//
// It runs `VACUUM INTO`: one read transaction under SQLite's own file locks, so the copy is the
// database as of one instant even while Temporal commits. A plain `cp` of a live file can catch
// half of a transaction. The copy is then synced to disk and checked with
// `PRAGMA integrity_check`; on success one JSON line reports its size.
//
// --hold pins that instant for the caller. The tool takes a read lock on SOURCE first and
// prints {"locked":true,...}; in SQLite's default rollback-journal mode no writer can commit
// while it is held. It keeps the lock until the copy is made and a line arrives on stdin (or
// stdin closes; at most 10 s). `npm run backup` starts PostgreSQL's snapshot in between, so
// that nothing Temporal commits falls between its copy and the database's.
//
// Pure Go (modernc.org/sqlite, the driver and version the Temporal CLI is built with), so it
// needs no C compiler and no system sqlite3.
package main

import (
	"bufio"
	"context"
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

const (
	// How long to wait for Temporal's write lock before giving up (SQLITE_BUSY).
	busyTimeoutMs = 30_000
	// The longest --hold keeps Temporal's writers waiting for the go-ahead.
	holdLimit = 10 * time.Second
)

func main() {
	args := os.Args[1:]
	hold := len(args) > 0 && args[0] == "--hold"
	if hold {
		args = args[1:]
	}
	if len(args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: sqlite-backup [--hold] SOURCE DESTINATION\n  Copies the SQLite database SOURCE consistently (VACUUM INTO) to DESTINATION, which must not exist.\n  --hold: lock SOURCE first, print {\"locked\":true}, and keep the lock until the copy is made and a line arrives on stdin.")
		os.Exit(2)
	}
	report, err := backup(args[0], args[1], hold)
	if err != nil {
		fmt.Fprintf(os.Stderr, "sqlite-backup: %v\n", err)
		os.Exit(1)
	}
	_ = json.NewEncoder(os.Stdout).Encode(report)
}

type report struct {
	Bytes       int64  `json:"bytes"`
	Pages       int64  `json:"pages"`
	Integrity   string `json:"integrity"`
	JournalMode string `json:"journalMode"`
	// How long writers were kept waiting (--hold), and the whole run.
	HeldMs     int64 `json:"heldMs"`
	DurationMs int64 `json:"durationMs"`
}

func backup(source, destination string, hold bool) (*report, error) {
	started := time.Now()
	ctx := context.Background()
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
	db, err := open(source, "rw", 2)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	var journalMode string
	if err := db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&journalMode); err != nil {
		return nil, fmt.Errorf("read the journal mode of %s: %w", source, err)
	}

	var heldMs int64
	var lockedAt time.Time
	var release func() error
	if hold {
		// A read transaction on a connection of its own: its SHARED lock stops every commit.
		lock, err := db.Conn(ctx)
		if err != nil {
			return nil, err
		}
		defer lock.Close()
		if _, err := lock.ExecContext(ctx, "BEGIN"); err != nil {
			return nil, err
		}
		var tables int
		if err := lock.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master").Scan(&tables); err != nil {
			return nil, fmt.Errorf("lock %s: %w", source, err)
		}
		lockedAt = time.Now()
		line, _ := json.Marshal(map[string]any{"locked": true, "journalMode": journalMode})
		fmt.Println(string(line))
		release = func() error {
			heldMs = time.Since(lockedAt).Milliseconds()
			_, err := lock.ExecContext(ctx, "COMMIT")
			return err
		}
		defer func() {
			if release != nil {
				_ = release()
			}
		}()
	}

	copyConn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	_, err = copyConn.ExecContext(ctx, "VACUUM INTO ?", destination)
	copyConn.Close()
	if err != nil {
		_ = os.Remove(destination)
		return nil, fmt.Errorf("VACUUM INTO %s: %w", destination, err)
	}

	if hold {
		goAhead := make(chan struct{})
		go func() {
			_, _ = bufio.NewReader(os.Stdin).ReadString('\n')
			close(goAhead)
		}()
		select {
		case <-goAhead:
		case <-time.After(holdLimit - time.Since(lockedAt)):
			_ = os.Remove(destination)
			return nil, fmt.Errorf("no go-ahead on stdin within %s; the lock was released and the copy removed", holdLimit)
		}
		err := release()
		release = nil
		if err != nil {
			return nil, err
		}
	}

	// SQLite does not fsync the file VACUUM INTO writes.
	if err := syncFile(destination); err != nil {
		return nil, err
	}

	copyDB, err := open(destination, "ro", 1)
	if err != nil {
		return nil, err
	}
	defer copyDB.Close()
	var integrity string
	if err := copyDB.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&integrity); err != nil {
		return nil, fmt.Errorf("integrity check of the copy: %w", err)
	}
	if integrity != "ok" {
		return nil, fmt.Errorf("the copy failed its integrity check: %s", integrity)
	}
	var pages int64
	if err := copyDB.QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages); err != nil {
		return nil, err
	}
	info, err := os.Stat(destination)
	if err != nil {
		return nil, err
	}
	return &report{Bytes: info.Size(), Pages: pages, Integrity: integrity, JournalMode: journalMode, HeldMs: heldMs, DurationMs: time.Since(started).Milliseconds()}, nil
}

func open(file, mode string, connections int) (*sql.DB, error) {
	query := url.Values{}
	query.Set("mode", mode)
	query.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeoutMs))
	dsn := "file:" + (&url.URL{Path: file}).EscapedPath() + "?" + query.Encode()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", file, err)
	}
	db.SetMaxOpenConns(connections)
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
