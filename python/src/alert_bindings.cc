// fengqiao._core: the alert assistant (AI管家). A batch of texts in, columns of decisions out.
#include "absl/strings/str_cat.h"
#include "bindings.h"
#include "fengqiao/alert/alert_assistant.h"
#include "fengqiao/alert/alert_model.h"
#include "fengqiao/alert/normalizer.h"

namespace fengqiao::python {

void BindAlert(py::module_& m) {
  py::class_<alert::AlertAssistant, std::shared_ptr<alert::AlertAssistant>>(
      m, "AlertAssistant", "Normalises, scans and decides one action per chat message.")
      .def_static(
          "load",
          [](const std::string& rules, const std::string& model) {
            return std::const_pointer_cast<alert::AlertAssistant>(
                ValueOrThrow(alert::AlertAssistant::Load(rules, model)));
          },
          py::arg("rules"), py::arg("model") = "",
          "Loads the scanning rules (a file or a directory of *.textproto) and the model (a "
          "fengqiao.v1.AlertModel text file; empty: none).")
      .def(
          "lint",
          [](const alert::AlertAssistant& a) {
            std::vector<std::string> out;
            for (const alert::LintFinding& f : a.scanner().Lint()) {
              out.push_back(f.where.empty() ? f.message : f.where + ": " + f.message);
            }
            return out;
          },
          "The lint findings of the loaded rules, one line each.")
      .def(
          "decide_batch",
          [](const alert::AlertAssistant& a, const std::vector<std::string>& texts) {
            // Columns; a message that cannot be decided (too long) gets its error and
            // ALERT_ACTION_UNSPECIFIED, the others are decided.
            const size_t n = texts.size();
            std::vector<int> action(n), category(n), department(n);
            std::vector<std::string> reason(n), masked(n), reply(n), error(n);
            std::vector<std::vector<std::string>> rule_ids(n);
            std::vector<std::vector<std::pair<uint32_t, uint32_t>>> spans(n);
            {
              py::gil_scoped_release release;
              for (size_t i = 0; i < n; ++i) {
                absl::StatusOr<v1::AlertDecision> d = a.Decide(absl::string_view(texts[i]));
                if (!d.ok()) {
                  error[i] = std::string(d.status().message());
                  continue;
                }
                action[i] = d->action();
                category[i] = d->category();
                department[i] = d->department();
                reason[i] = d->reason();
                masked[i] = d->masked_text();
                reply[i] = d->reply_category();
                for (const std::string& id : d->rule_ids()) rule_ids[i].push_back(id);
                for (const auto& s : d->spans()) spans[i].emplace_back(s.begin(), s.end());
              }
            }
            py::dict out;
            out["action"] = action;
            out["category"] = category;
            out["department"] = department;
            out["rule_ids"] = rule_ids;
            out["spans"] = spans;
            out["reason"] = reason;
            out["masked_text"] = masked;
            out["reply_category"] = reply;
            out["error"] = error;
            return out;
          },
          py::arg("texts"),
          "Decides every text; returns columns (enum numbers, lists, strings; spans are byte "
          "offsets into the UTF-8 text).");

  py::class_<alert::AlertModel, std::shared_ptr<alert::AlertModel>>(
      m, "AlertModel", "The alert assistant's learned classifier over character n-grams.")
      .def_static(
          "load",
          [](const std::string& path) {
            return std::const_pointer_cast<alert::AlertModel>(
                ValueOrThrow(alert::AlertModel::Load(path)));
          },
          py::arg("path"), "Loads a fengqiao.v1.AlertModel text file.")
      .def_property_readonly("id", &alert::AlertModel::id)
      .def_property_readonly("threshold", &alert::AlertModel::threshold)
      .def_property_readonly("override_threshold", &alert::AlertModel::override_threshold)
      .def(
          "logits",
          [](const alert::AlertModel& model, const std::vector<std::string>& normalized) {
            std::vector<std::vector<double>> out;
            out.reserve(normalized.size());
            for (const std::string& t : normalized) out.push_back(model.Logits(t));
            return out;
          },
          py::arg("normalized"),
          "The class logits of each normalised text (fengqiao.alert.normalize), in the model's "
          "class order.");

  m.def(
      "normalize_texts",
      [](const std::vector<std::string>& texts) {
        static const auto* normalizer =
            new std::shared_ptr<const alert::Normalizer>(ValueOrThrow(alert::Normalizer::Create()));
        std::vector<std::string> out;
        out.reserve(texts.size());
        RunWithoutGil([&]() -> absl::Status {
          for (size_t i = 0; i < texts.size(); ++i) {
            absl::StatusOr<alert::NormalizedText> n = (*normalizer)->Normalize(texts[i]);
            if (!n.ok()) {
              return absl::Status(n.status().code(),
                                  absl::StrCat("text ", i, ": ", n.status().message()));
            }
            out.push_back(std::move(n->text));
          }
          return absl::OkStatus();
        });
        return out;
      },
      py::arg("texts"),
      "The Normalizer's text of each message (the default options: what the assistant scans).");
}

}  // namespace fengqiao::python
