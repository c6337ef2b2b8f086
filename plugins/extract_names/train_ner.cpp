// saksi_train_ner -- trains extract.names's NER model with liblinear, and
// labels or times token files with a model. Built with the tree, run only by
// bench/train_ner and bench/ner_eval (never by the build or CI).
//
//   saksi_train_ner train --out FILE [options] TRAIN.tsv...
//   saksi_train_ner label --model FILE TSV      token<TAB>gold<TAB>predicted
//   saksi_train_ner speed --model FILE TSV...   tokens/s through the stage's path
//
// train options: --c C (liblinear's cost, 0.5), --solver N (liblinear solver
// type, 7: L2R_LR_DUAL), --transition-weight W (times the log transition
// probabilities, 0.2), --outside-bias B (subtracted from O's score, 0.5),
// --lower P (share of sentences given a lower-cased copy, 0.5), --noise P
// (share given an OCR-noise copy, 0.3), --min-count N (features seen fewer
// times are dropped, 2), --seed S (12).
//
// Token files: token<TAB>BIO-tag a line, a blank line between sentences.
#include "name_data.hpp"
#include "ner.hpp"
#include "recognizer.hpp"

#include <linear.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

using saksi::names::ner::kTags;

struct Sentence {
    std::vector<std::string> words;
    std::vector<int> tags;
};

std::vector<Sentence> readTokens(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::vector<Sentence> out(1);
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) {
            if (!out.back().words.empty()) out.emplace_back();
            continue;
        }
        const auto tab = line.rfind('\t');
        if (tab == std::string::npos) throw std::runtime_error(path + ": no tab in '" + line + "'");
        const int tag = saksi::names::ner::tagOf(line.substr(tab + 1));
        if (tag < 0) throw std::runtime_error(path + ": unknown tag in '" + line + "'");
        std::string word = line.substr(0, tab);
        if (word.empty()) word = "_";
        out.back().words.push_back(std::move(word));
        out.back().tags.push_back(tag);
    }
    if (out.back().words.empty()) out.pop_back();
    return out;
}

std::string lowered(std::string w) {
    for (auto& c : w) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return w;
}

// One OCR-like error in a word: a look-alike swapped, a letter lost or doubled.
std::string noisy(const std::string& w, std::mt19937& rng) {
    static const std::vector<std::pair<std::string, std::string>> swaps = {
        {"l", "1"},  {"1", "l"}, {"I", "l"}, {"l", "I"}, {"O", "0"}, {"0", "O"}, {"rn", "m"},
        {"m", "rn"}, {"e", "c"}, {"c", "e"}, {"i", "l"}, {"a", "o"}, {"S", "5"}, {"B", "8"},
        {"u", "v"},  {"n", "u"}, {"h", "b"}, {"t", "f"}, {"g", "q"}, {"d", "cl"}};
    std::uniform_int_distribution<int> kind(0, 3);
    const int k = kind(rng);
    if (k <= 1) {
        std::vector<std::pair<std::size_t, std::size_t>> at;  // position, swap
        for (std::size_t s = 0; s < swaps.size(); ++s)
            for (auto p = w.find(swaps[s].first); p != std::string::npos;
                 p = w.find(swaps[s].first, p + 1))
                at.emplace_back(p, s);
        if (at.empty()) return w;
        const auto [p, s] = at[std::uniform_int_distribution<std::size_t>(0, at.size() - 1)(rng)];
        return w.substr(0, p) + swaps[s].second + w.substr(p + swaps[s].first.size());
    }
    const auto p = std::uniform_int_distribution<std::size_t>(1, w.size() - 1)(rng);
    if (static_cast<unsigned char>(w[p]) >= 0x80) return w;
    return k == 2 ? w.substr(0, p) + w.substr(p + 1) : w.substr(0, p) + w[p] + w.substr(p);
}

std::vector<std::string_view> views(const std::vector<std::string>& words) {
    return {words.begin(), words.end()};
}

struct Options {
    std::string out, model;
    std::vector<std::string> files;
    double c = 0.5, transitionWeight = 0.2, outsideBias = 0.5, lower = 0.5, noise = 0.3;
    int minCount = 2;
    int solver = L2R_LR_DUAL;
    unsigned seed = 12;
};

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        const auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
            return argv[++i];
        };
        if (a == "--out")
            o.out = value();
        else if (a == "--model")
            o.model = value();
        else if (a == "--c")
            o.c = std::stod(value());
        else if (a == "--transition-weight")
            o.transitionWeight = std::stod(value());
        else if (a == "--outside-bias")
            o.outsideBias = std::stod(value());
        else if (a == "--lower")
            o.lower = std::stod(value());
        else if (a == "--noise")
            o.noise = std::stod(value());
        else if (a == "--solver")
            o.solver = std::stoi(value());
        else if (a == "--min-count")
            o.minCount = std::stoi(value());
        else if (a == "--seed")
            o.seed = static_cast<unsigned>(std::stoul(value()));
        else if (a.rfind("--", 0) == 0)
            throw std::runtime_error("unknown option " + a);
        else
            o.files.push_back(a);
    }
    return o;
}

void quiet(const char*) {
}

int train(const Options& o) {
    if (o.out.empty() || o.files.empty()) throw std::runtime_error("train needs --out and files");
    const auto start = std::chrono::steady_clock::now();
    std::vector<Sentence> sentences;
    for (const auto& f : o.files) {
        auto s = readTokens(f);
        sentences.insert(sentences.end(), s.begin(), s.end());
    }
    // Transition scores from the original sentences: smoothed log P(tag |
    // previous tag), and the BIO constraint.
    std::array<double, (kTags + 1) * kTags> counts{};
    for (const auto& s : sentences)
        for (std::size_t i = 0; i < s.tags.size(); ++i)
            counts[static_cast<std::size_t>((i == 0 ? 0 : s.tags[i - 1] + 1) * kTags +
                                            s.tags[i])] += 1;
    std::array<float, (kTags + 1) * kTags> transitions{};
    for (int p = 0; p <= kTags; ++p) {
        double row = 0;
        for (int k = 0; k < kTags; ++k) row += counts[static_cast<std::size_t>(p * kTags + k)];
        for (int k = 0; k < kTags; ++k) {
            const auto at = static_cast<std::size_t>(p * kTags + k);
            const bool inside = k == 2 || k == 4 || k == 6;
            const int previous = p - 1;  // -1: sentence start
            const bool allowed = !inside || previous == k - 1 || previous == k;
            // Minus a bias on O: recall for precision.
            const double score = o.transitionWeight * std::log((counts[at] + 1) / (row + kTags)) -
                                 (k == 0 ? o.outsideBias : 0.0);
            transitions[at] = allowed ? static_cast<float>(score) : -1e4f;
        }
    }
    // Case- and noise-augmented copies, from a fixed seed.
    std::mt19937 rng(o.seed);
    std::bernoulli_distribution lower(o.lower), noise(o.noise), noisyWord(0.2);
    const std::size_t originals = sentences.size();
    for (std::size_t i = 0; i < originals; ++i) {
        if (lower(rng)) {
            Sentence s = sentences[i];
            for (auto& w : s.words) w = lowered(w);
            sentences.push_back(std::move(s));
        }
        if (noise(rng)) {
            Sentence s = sentences[i];
            for (auto& w : s.words)
                if (w.size() >= 3 && noisyWord(rng)) w = noisy(w, rng);
            sentences.push_back(std::move(s));
        }
    }
    const saksi::names::ner::Features features(saksi::names::embeddedNameData());
    std::vector<std::vector<uint64_t>> instances;
    std::vector<double> labels;
    std::unordered_map<uint64_t, int> seen;
    for (const auto& s : sentences) {
        auto f = features.extract(views(s.words));
        for (std::size_t i = 0; i < f.size(); ++i) {
            for (auto h : f[i]) ++seen[h];
            instances.push_back(std::move(f[i]));
            labels.push_back(s.tags[i]);
        }
    }
    std::vector<uint64_t> keys;
    for (const auto& [h, n] : seen)
        if (n >= o.minCount) keys.push_back(h);
    std::sort(keys.begin(), keys.end());
    std::unordered_map<uint64_t, int> index;
    for (std::size_t k = 0; k < keys.size(); ++k) index[keys[k]] = static_cast<int>(k + 1);

    std::vector<std::vector<feature_node>> rows(instances.size());
    std::vector<feature_node*> x(instances.size());
    for (std::size_t i = 0; i < instances.size(); ++i) {
        for (auto h : instances[i])
            if (const auto it = index.find(h); it != index.end())
                rows[i].push_back({it->second, 1.0});
        std::sort(rows[i].begin(), rows[i].end(),
                  [](const feature_node& a, const feature_node& b) { return a.index < b.index; });
        rows[i].push_back({-1, 0.0});
        x[i] = rows[i].data();
    }
    problem prob{};
    prob.l = static_cast<int>(instances.size());
    prob.n = static_cast<int>(keys.size());
    prob.y = labels.data();
    prob.x = x.data();
    prob.bias = -1;
    parameter param{};
    param.solver_type = o.solver;
    param.eps = 0.01;
    param.C = o.c;
    if (const char* error = check_parameter(&prob, &param)) throw std::runtime_error(error);
    set_print_string_function(quiet);
    model* m = ::train(&prob, &param);
    std::vector<float> weights(keys.size() * kTags, 0.0f);
    for (int j = 0; j < m->nr_class; ++j) {
        const int tag = m->label[j];
        for (std::size_t k = 0; k < keys.size(); ++k)
            weights[k * kTags + static_cast<std::size_t>(tag)] =
                static_cast<float>(get_decfun_coef(m, static_cast<int>(k + 1), j));
    }
    free_and_destroy_model(&m);
    const std::string bytes = saksi::names::ner::Model::toBytes(keys, weights, transitions);
    std::ofstream out(o.out, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + o.out);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cerr << "train_ner: " << originals << " sentences, " << sentences.size()
              << " with augmented copies, " << instances.size() << " words, " << keys.size()
              << " features; " << bytes.size() << " bytes; " << seconds << " s\n";
    return 0;
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

int label(const Options& o) {
    const auto model = saksi::names::ner::Model::fromBytes(readFile(o.model));
    const saksi::names::ner::Features features(saksi::names::embeddedNameData());
    for (const auto& f : o.files)
        for (const auto& s : readTokens(f)) {
            const auto tags = model.tag(features.extract(views(s.words)));
            for (std::size_t i = 0; i < s.words.size(); ++i)
                std::cout << s.words[i] << '\t'
                          << saksi::names::ner::kTagNames[static_cast<std::size_t>(s.tags[i])]
                          << '\t' << saksi::names::ner::kTagNames[static_cast<std::size_t>(tags[i])]
                          << '\n';
            std::cout << '\n';
        }
    return 0;
}

// The sentences as one text (words joined by spaces), recognised whole by
// the stage's recogniser, repeated until a few seconds have passed.
int speed(const Options& o) {
    std::string text;
    std::size_t words = 0;
    for (const auto& f : o.files)
        for (const auto& s : readTokens(f)) {
            for (const auto& w : s.words) text += w + ' ';
            text += '\n';
            words += s.words.size();
        }
    const auto loadStart = std::chrono::steady_clock::now();
    const saksi::names::Recognizer recognizer(o.model.empty() ? std::string() : readFile(o.model));
    const double load =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - loadStart).count();
    std::size_t rounds = 0, found = 0;
    const auto start = std::chrono::steady_clock::now();
    double seconds = 0;
    while (seconds < 3.0) {
        found += recognizer.find(text).size();
        ++rounds;
        seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    std::cout << "{\"tokens_per_second\": " << static_cast<double>(words * rounds) / seconds
              << ", \"tokens\": " << words * rounds << ", \"seconds\": " << seconds
              << ", \"load_seconds\": " << load << ", \"entities\": " << found / rounds << "}\n";
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        if (argc < 2) throw std::runtime_error("usage: saksi_train_ner train|label|speed ...");
        const std::string command = argv[1];
        const Options o = parse(argc, argv);
        if (command == "train") return train(o);
        if (command == "label") return label(o);
        if (command == "speed") return speed(o);
        throw std::runtime_error("unknown command " + command);
    } catch (const std::exception& e) {
        std::cerr << "saksi_train_ner: " << e.what() << '\n';
        return 2;
    }
}
