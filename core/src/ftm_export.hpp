// FollowTheMoney (FtM) entities from an output folder's records, for Aleph
// and other FtM case systems: one JSON object a line, {"id", "schema",
// "properties": {name: [string, ...]}}, each id once. docs/ftm.md says which
// entities a record gives.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <ostream>
#include <string>

namespace saksi {

struct FtmExportStats {
    std::size_t records = 0;
    std::map<std::string, std::size_t> schemata;  // entities written per schema
};

// Writes the entities of every record of `dir` to `out`: records/ and
// failed/ (failed ones as documents with processingStatus "failure"), or
// with `redacted` the redacted copies in redacted/ only. Records are read in
// id order, so the output is the same on every run. Throws
// std::runtime_error when a record or config/ftm/codes.json cannot be read.
FtmExportStats exportFtm(const std::filesystem::path& dir, bool redacted, std::ostream& out);

}  // namespace saksi
