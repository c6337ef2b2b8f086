#include "pdf_writer.hpp"

#include <cstdio>
#include <stdexcept>

namespace saksi::redact {
namespace {

std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}

}  // namespace

std::string writeImagePdf(const std::vector<PdfPage>& pages) {
    if (pages.empty()) throw std::invalid_argument("a PDF needs at least one page");
    std::string pdf = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
    std::vector<std::size_t> offsets;  // of objects 1..n
    auto begin = [&](std::size_t id) {
        if (offsets.size() < id) offsets.resize(id);
        offsets[id - 1] = pdf.size();
        pdf += std::to_string(id) + " 0 obj\n";
    };
    // 1: catalog, 2: page tree, then per page: page, contents, image.
    const std::size_t count = pages.size();
    begin(1);
    pdf += "<< /Type /Catalog /Pages 2 0 R >>\nendobj\n";
    begin(2);
    pdf += "<< /Type /Pages /Count " + std::to_string(count) + " /Kids [";
    for (std::size_t i = 0; i < count; ++i) pdf += " " + std::to_string(3 + 3 * i) + " 0 R";
    pdf += " ] >>\nendobj\n";
    for (std::size_t i = 0; i < count; ++i) {
        const PdfPage& p = pages[i];
        const std::size_t page = 3 + 3 * i, contents = page + 1, image = page + 2;
        const std::string w = number(p.widthPt), h = number(p.heightPt);
        begin(page);
        pdf += "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + w + " " + h +
               "] /Resources << /XObject << /Im0 " + std::to_string(image) +
               " 0 R >> >> /Contents " + std::to_string(contents) + " 0 R >>\nendobj\n";
        const std::string draw = "q " + w + " 0 0 " + h + " 0 0 cm /Im0 Do Q\n";
        begin(contents);
        pdf += "<< /Length " + std::to_string(draw.size()) + " >>\nstream\n" + draw +
               "endstream\nendobj\n";
        begin(image);
        pdf += "<< /Type /XObject /Subtype /Image /Width " + std::to_string(p.width) + " /Height " +
               std::to_string(p.height) + " /ColorSpace " + (p.rgb ? "/DeviceRGB" : "/DeviceGray") +
               " /BitsPerComponent 8 /Filter /DCTDecode /Length " + std::to_string(p.jpeg->size()) +
               " >>\nstream\n";
        pdf += *p.jpeg;
        pdf += "\nendstream\nendobj\n";
    }
    const std::size_t xref = pdf.size();
    pdf += "xref\n0 " + std::to_string(offsets.size() + 1) + "\n0000000000 65535 f \n";
    for (std::size_t off : offsets) {
        char line[24];
        std::snprintf(line, sizeof line, "%010zu 00000 n \n", off);
        pdf += line;
    }
    pdf += "trailer\n<< /Size " + std::to_string(offsets.size() + 1) +
           " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
    return pdf;
}

}  // namespace saksi::redact
