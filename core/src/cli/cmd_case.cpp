// saksi case: identifiers, people and organisations shared across the
// documents of an output folder, from the case index in its ledger.
#include "case_index.hpp"
#include "cli.hpp"
#include "ledger.hpp"

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

namespace saksi::cli {
namespace {

std::string pagesText(const std::vector<std::uint32_t>& pages) {
    std::string out;
    for (const auto p : pages) out += (out.empty() ? "" : ",") + std::to_string(p);
    return out.empty() ? "-" : out;
}

void printTable(const std::vector<CaseLink>& links) {
    for (const CaseLink& link : links) {
        std::printf("%s %s: %zu documents\n", link.type.c_str(), link.value.c_str(),
                    link.documents.size());
        for (const CaseDocument& d : link.documents) {
            std::string role = d.role;
            if (!d.holder.empty())
                role += (role.empty() ? "" : " ") + std::string("of ") + d.holder;
            std::printf("  %-32s p. %-8s %-10s %s\n", d.name.c_str(), pagesText(d.pages).c_str(),
                        d.id.substr(0, 12).c_str(), role.c_str());
        }
    }
    if (links.empty()) std::printf("no links\n");
}

nlohmann::json linksJson(const std::vector<CaseLink>& links) {
    auto list = nlohmann::json::array();
    for (const CaseLink& link : links) {
        auto docs = nlohmann::json::array();
        for (const CaseDocument& d : link.documents)
            docs.push_back(
                {{"id", d.id},
                 {"name", d.name},
                 {"pages", d.pages},
                 {"spelling", d.value},
                 {"role", d.role.empty() ? nlohmann::json() : nlohmann::json(d.role)},
                 {"holder", d.holder.empty() ? nlohmann::json() : nlohmann::json(d.holder)}});
        list.push_back(
            {{"type", link.type}, {"value", link.value}, {"key", link.key}, {"documents", docs}});
    }
    return {{"links", list}};
}

}  // namespace

int cmdCase(int argc, char** argv) {
    po::options_description opts("Options for case");
    opts.add_options()("json", "print JSON instead of a table")(
        "min-documents", po::value<std::size_t>()->default_value(2),
        "list what at least N documents share")(
        "ledger", po::value<std::string>(),
        "the shared ledger of a distributed run: postgresql://USER@HOST:PORT/DB")(
        "dir", po::value<std::string>(), "output folder");
    po::positional_options_description positional;
    positional.add("dir", 1);
    Context ctx;
    const char* usage =
        "Usage: saksi case DIR [--json] [--min-documents N] [--ledger postgresql://...]\n\n"
        "Lists every identifier (passport number, NIK, phone in E.164, e-mail, bank\n"
        "account), person and organisation found in at least N documents of DIR, with\n"
        "each document's id, file name, pages and role there (a contract's worker,\n"
        "employer or agency, a passport's holder, or the identifier's holder).\n"
        "Identifiers match on their normalized value; names on their match key (case,\n"
        "spacing, word order, punctuation and a leading honorific ignored). The index\n"
        "lives in DIR/ledger.sqlite (or --ledger) and is updated as documents are\n"
        "recorded; records it does not hold yet (from an older saksi) are indexed first.\n"
        "--json prints {\"links\": [{\"type\", \"value\", \"key\", \"documents\": [{\"id\",\n"
        "\"name\", \"pages\", \"spelling\", \"role\", \"holder\"}]}]}.\n\n"
        "Exit codes: 0 done; 2 DIR is not an output folder or the ledger cannot be read.";
    if (int rc = parse(argc, argv, "case", opts, positional, usage, ctx); rc >= 0) return rc;
    if (!ctx.vm.count("dir")) return usageError("case", "no output folder given.");
    const std::size_t minDocuments = ctx.vm["min-documents"].as<std::size_t>();
    if (minDocuments < 1) return usageError("case", "--min-documents must be at least 1.");
    const std::filesystem::path dir = ctx.vm["dir"].as<std::string>();
    std::string location = (dir / "ledger.sqlite").string();
    if (ctx.vm.count("ledger")) {
        location = ctx.vm["ledger"].as<std::string>();
    } else if (std::error_code ec; !std::filesystem::is_regular_file(location, ec)) {
        std::cerr << "saksi case: " << dir.string()
                  << " is not an output folder (no ledger.sqlite).\n";
        return kExitUsage;
    }
    std::vector<CaseLink> links;
    try {
        const auto ledger = openLedger(location);
        const auto index = openCaseIndex(location);
        const auto indexed = index->documents();
        std::size_t added = 0;
        for (const LedgerEntry& e : ledger->entries()) {
            if ((e.status != "ok" && e.status != "partial") || indexed.count(e.id)) continue;
            const auto record = dir / "records" / (e.id + ".json");
            if (std::error_code ec; !std::filesystem::is_regular_file(record, ec)) continue;
            indexRecordFile(*index, record);
            ++added;
        }
        if (added) std::fprintf(stderr, "saksi case: indexed %zu records not yet indexed\n", added);
        links = index->links(minDocuments);
    } catch (const std::exception& e) {
        std::cerr << "saksi case: " << e.what() << "\n";
        return kExitUsage;
    }
    if (ctx.vm.count("json"))
        std::printf("%s\n", linksJson(links).dump(2).c_str());
    else
        printTable(links);
    return kExitOk;
}

}  // namespace saksi::cli
