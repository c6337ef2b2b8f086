#include "redact_stage.hpp"

#include "pseudonym.hpp"

#include "burned_page.hpp"
#include "pdf_page_image.hpp"
#include "pdf_writer.hpp"
#include "record_redactor.hpp"

#include <chrono>
#include <filesystem>
#include <regex>

namespace saksi::redact {
namespace {

// The case key when the policy needs one: the stage's key_file, else its
// key_env, else the policy's key_file, else the policy's key_env.
std::string caseKey(const Policy& policy, const nlohmann::json& config) {
    if (!policy.usesPseudonym()) return {};
    const auto stageFile = config.at("key_file").get<std::string>();
    const auto stageEnv = config.at("key_env").get<std::string>();
    try {
        if (!stageFile.empty() || !stageEnv.empty()) return loadCaseKey(stageEnv, stageFile);
        return loadCaseKey(policy.keyEnv, policy.keyFile);
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(
            "redaction policy '" + policy.name +
            "' replaces values by pseudonyms, which need a case key: " + e.what());
    }
}

Policy policyFrom(const nlohmann::json& config) {
    try {
        return loadPolicy(config.at("policy").get<std::string>());
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(std::string("redaction policy: ") + e.what());
    }
}

// Page size in points: page pixels at the page's dpi (72 when unknown).
std::pair<double, double> pagePoints(const nlohmann::json& page) {
    const double dpi = page.value("dpi", 0) > 0 ? page.value("dpi", 0) : 72.0;
    return {page.value("width", 1) * 72.0 / dpi, page.value("height", 1) * 72.0 / dpi};
}

void removeStale(const std::filesystem::path& dir, const std::string& id) {
    std::error_code ec;
    std::filesystem::remove(dir / (id + ".json"), ec);
    std::filesystem::remove(dir / (id + ".pdf"), ec);
}

}  // namespace

RedactStage::RedactStage(const nlohmann::json& config)
    : policy_(policyFrom(config)),
      key_(caseKey(policy_, config)),
      checker_(std::make_unique<LeakChecker>(
          LeakCheckConfig{config.at("languages").get<std::string>(), {}})),
      margin_(config.at("margin").get<int>()),
      jpegQuality_(config.at("jpeg_quality").get<int>()),
      passwords_(config.at("passwords").get<std::vector<std::string>>()) {
}

void RedactStage::process(sdk::Document& doc) {
    auto record = doc.json("");
    if (!record) throw sdk::Error("redaction.no_record", "the host returned no record");
    const std::string id = record->at("id").get<std::string>();
    static const std::regex sha256("^[0-9a-f]{64}$");
    if (!std::regex_match(id, sha256))
        throw sdk::Error("redaction.bad_id", "record id '" + id + "' is not a SHA-256");
    const std::filesystem::path dir =
        std::filesystem::path(std::string(doc.outputDir())) / "redacted";
    const nlohmann::json& pages = record->at("pages");
    if (pages.empty()) return;  // nothing decoded: no copy to share

    // Which policy and case key made the redacted copies, in both records.
    const nlohmann::json made = {
        {"policy", policy_.name},
        {"policy_sha256", policy_.sha256},
        {"key_id", key_.empty() ? nlohmann::json() : nlohmann::json(caseKeyId(key_))}};
    doc.put("/provenance/redaction", made);
    (*record)["provenance"]["redaction"] = made;

    using Clock = std::chrono::steady_clock;
    const auto started = Clock::now();
    RedactionResult result = redactRecord(*record, policy_, {margin_, key_});
    auto withhold = [&](const std::string& code, const std::string& message) {
        removeStale(dir, id);
        throw sdk::Error(code, message + " The redacted JSON and PDF were not written.");
    };
    if (!result.problems.empty()) {
        std::string what;
        for (const auto& p : result.problems) what += (what.empty() ? "" : "; ") + p;
        withhold("redaction.incomplete", "cannot burn in every redacted value: " + what + ".");
    }

    // Burn each page's boxes into its working image and check that page's
    // pixels (re-OCR, coverage) at once: a page's pixels are freed before the
    // next page's are read, so a long document holds only its JPEGs.
    struct PageJpeg {
        std::string jpeg;
        uint32_t width = 0, height = 0;
        bool rgb = false;
    };
    std::vector<PageJpeg> jpegs;
    std::vector<LeakChecker::PageLeaks> pageLeaks;
    const std::vector<SecretValue> secrets = secretValues(result.secrets);
    std::vector<RedactedEntity> unplaced;
    for (const RedactedEntity& e : result.covered)
        if (e.page < 1 || e.page > pages.size()) unplaced.push_back(e);
    auto verifyTime = Clock::duration::zero();
    for (uint32_t i = 0; i < pages.size(); ++i) {
        const nlohmann::json& page = pages[i];
        auto image = doc.pageImage(i);
        RenderedPage rendered;
        if (!image && doc.mediaType() == "application/pdf") {
            // A page read from the PDF's text layer: render it afresh, never
            // edit the PDF in place.
            try {
                rendered = renderPdfPage(doc.sourceBytes(), i, page.value("dpi", 0u), passwords_);
            } catch (const std::exception& e) {
                withhold("redaction.no_image", std::string(e.what()) + ".");
            }
            if (rendered.width != page.value("width", 0u) ||
                rendered.height != page.value("height", 0u))
                withhold("redaction.no_image", "the render of page " + std::to_string(i + 1) +
                                                   " does not match its size.");
            image = sdk::ImageView{rendered.width,    rendered.height,       rendered.width,
                                   SAKSI_PIXEL_GRAY8, page.value("dpi", 0u), rendered.gray.data()};
        }
        if (!image)
            withhold("redaction.no_image",
                     "page " + std::to_string(i + 1) + " has no page image to render.");
        const nlohmann::json transform =
            page.value("image_transform", nlohmann::json{{"scale", 1.0}, {"rotation_deg", 0.0}});
        PageFrame frame{page.value("width", 0),
                        page.value("height", 0),
                        image->width,
                        image->height,
                        transform.value("scale", 1.0),
                        transform.value("rotation_deg", 0.0)};
        std::vector<saksi_box> boxes;
        for (const Redaction& r : result.redactions)
            if (r.page == i + 1) boxes.push_back(pageBoxToImage(r.box, frame));
        BurnedPage burned = burnPage(*image, boxes, jpegQuality_);
        doc.releasePageImage(i);
        rendered = {};

        std::vector<RedactedEntity> covered;
        for (const RedactedEntity& e : result.covered) {
            if (e.page != i + 1) continue;
            RedactedEntity inImage{e.type, e.page, {}};
            for (const saksi_box& w : e.words) inImage.words.push_back(pageBoxToImage(w, frame));
            covered.push_back(std::move(inImage));
        }
        const auto checkStart = Clock::now();
        pageLeaks.push_back(
            checker_->findPageLeaks(secrets, {i + 1, burned.view(), burned.boxes}, covered));
        verifyTime += Clock::now() - checkStart;
        jpegs.push_back({std::move(burned.jpeg), burned.width, burned.height, burned.rgb});
    }

    std::vector<PdfPage> pdfPages;
    for (uint32_t i = 0; i < jpegs.size(); ++i) {
        const auto [w, h] = pagePoints(pages[i]);
        // The working image may be scaled or deskewed: keep the page's size.
        pdfPages.push_back({&jpegs[i].jpeg, jpegs[i].width, jpegs[i].height, jpegs[i].rgb, w, h});
    }
    const std::string pdf = writeImagePdf(pdfPages);
    const std::string json =
        result.record.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";

    const auto checking = Clock::now();
    const auto leaks = LeakChecker::findLeaks(
        secrets, json, {reinterpret_cast<const uint8_t*>(pdf.data()), pdf.size()}, pageLeaks,
        unplaced);
    verifyTime += Clock::now() - checking;
    auto ms = [](auto from, auto to) {
        return std::to_string(
            std::chrono::duration_cast<std::chrono::milliseconds>(to - from).count());
    };
    doc.log(sdk::LogLevel::debug,
            "redact.policy " + id.substr(0, 12) + ": redaction and verification " +
                ms(started, Clock::now()) + " ms, of which verification " +
                std::to_string(
                    std::chrono::duration_cast<std::chrono::milliseconds>(verifyTime).count()) +
                " ms, " + std::to_string(pages.size()) + " pages");
    if (!leaks.empty())
        withhold("redaction.leak", "a redacted value survives in the redacted outputs (" +
                                       describeLeaks(leaks) + ").");

    sdk::writeFileAtomically(dir, id + ".pdf", pdf);
    sdk::writeFileAtomically(dir, id + ".json", json);
    for (const nlohmann::json& r : result.record["redactions"]) doc.put("/redactions/-", r);
}

}  // namespace saksi::redact
