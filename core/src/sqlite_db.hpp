// A SQLite connection and prepared statements with RAII, for the core's
// tables (the case index). Throws std::runtime_error with SQLite's message.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

namespace saksi::sqlite {

struct DbCloser {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StmtFinalizer {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using DbHandle = std::unique_ptr<sqlite3, DbCloser>;

// Opens (creating) `file` for reading and writing from any thread, in WAL
// mode with synchronous=FULL, waiting up to 5 s for another writer.
inline DbHandle open(const std::filesystem::path& file, const std::string& what) {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(
        file.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
        nullptr);
    DbHandle db(raw);
    if (rc != SQLITE_OK)
        throw std::runtime_error("cannot open " + what + " " + file.string() + ": " +
                                 (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
    sqlite3_busy_timeout(db.get(), 5000);
    return db;
}

inline void exec(sqlite3* db, const std::string& sql, const std::string& what) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        const std::string message = err ? err : sqlite3_errmsg(db);
        sqlite3_free(err);
        throw std::runtime_error(what + ": " + message);
    }
}

// One prepared statement; bind by 1-based index, step, read columns.
class Statement {
public:
    Statement(sqlite3* db, const std::string& sql, std::string what)
        : db_(db), what_(std::move(what)) {
        sqlite3_stmt* raw = nullptr;
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK)
            throw std::runtime_error(what_ + ": cannot prepare statement: " + sqlite3_errmsg(db));
        stmt_.reset(raw);
    }
    Statement& bind(int i, const std::string& text) {
        check(sqlite3_bind_text(stmt_.get(), i, text.data(), static_cast<int>(text.size()),
                                SQLITE_TRANSIENT));
        return *this;
    }
    Statement& bind(int i, std::int64_t value) {
        check(sqlite3_bind_int64(stmt_.get(), i, value));
        return *this;
    }
    // True while a row is available.
    bool step() {
        const int rc = sqlite3_step(stmt_.get());
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        throw std::runtime_error(what_ + ": " + sqlite3_errmsg(db_));
    }
    void reset() {
        sqlite3_reset(stmt_.get());
        sqlite3_clear_bindings(stmt_.get());
    }
    std::string text(int col) const {
        const auto* p = sqlite3_column_text(stmt_.get(), col);
        return p ? reinterpret_cast<const char*>(p) : "";
    }
    std::int64_t integer(int col) const { return sqlite3_column_int64(stmt_.get(), col); }

private:
    void check(int rc) const {
        if (rc != SQLITE_OK)
            throw std::runtime_error(what_ + ": cannot bind: " + sqlite3_errmsg(db_));
    }
    sqlite3* db_;
    std::string what_;
    std::unique_ptr<sqlite3_stmt, StmtFinalizer> stmt_;
};

}  // namespace saksi::sqlite
