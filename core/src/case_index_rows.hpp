// What the case index's two backends (SQLite, PostgreSQL) share: the links
// query and how its rows become CaseLinks.
#pragma once

#include "case_index.hpp"

#include <string>
#include <vector>

namespace saksi {

// One row of kLinksQuery.
struct LinkRow {
    std::string type, key, value, pages, role, holder, documentId, name;
};

// Every (type, key) held by at least $1 documents, one row per document,
// ordered by type, key, document name and id. SQL both backends accept.
extern const char* const kLinksQuery;

// The rows with one row per (type, key), pages joined.
std::vector<CaseRow> mergedRows(const std::vector<CaseRow>& rows);

// kLinksQuery's rows as links; a name's value is its most common spelling.
std::vector<CaseLink> groupLinks(const std::vector<LinkRow>& rows);

}  // namespace saksi
