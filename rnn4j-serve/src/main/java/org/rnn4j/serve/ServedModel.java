package org.rnn4j.serve;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rnn4j.classify.Classifier;
import org.rnn4j.lm.LanguageModel;
import org.rnn4j.network.WeightPrecision;
import org.rnn4j.persist.ModelConfig;
import org.rnn4j.persist.ModelDirectory;
import org.rnn4j.persist.Sha256;
import org.rnn4j.translate.Translator;

/**
 * The model a directory holds, as served: loaded and verified once, replaced only by a reload that
 * loads and verifies completely, so a request always sees one whole model, old or new.
 */
final class ServedModel {
  /** One loaded version of the model. Exactly one of classifier, languageModel and translator is set. */
  record Version(ModelConfig config, Classifier classifier, LanguageModel languageModel, Translator translator,
                 String sha256, Instant loadedAt, double loadSeconds) {
    boolean isClassifier() {
      return classifier != null;
    }

    /** What the model is: "a classifier", "a language model" or "a translation model". */
    String kind() {
      return classifier != null ? "a classifier" : languageModel != null ? "a language model" : "a translation model";
    }

    /** What the model is and the route that serves it, for a request sent to another route. */
    String kindAndRoute(String name) {
      String route = classifier != null ? "predict" : languageModel != null ? "generate" : "translate";
      return "is " + kind() + "; use /v1/models/" + name + "/" + route;
    }
  }

  private static final System.Logger LOG = System.getLogger("org.rnn4j.serve");

  static final String CLASSIFICATION = "classification";
  static final String LANGUAGE_MODEL = "language_model";

  final String name;
  final Path dir;
  /** How classifiers hold their recurrent weights, on the first load and on every reload. */
  private final WeightPrecision weights;
  private volatile Version current;
  private volatile String lastReloadError;

  private ServedModel(String name, Path dir, WeightPrecision weights, Version first) {
    this.name = name;
    this.dir = dir;
    this.weights = weights;
    this.current = first;
  }

  /** Loads the model in dir; IOException (or IllegalArgumentException) naming the file when it is not a valid model. */
  static ServedModel load(String name, Path dir, WeightPrecision weights) throws IOException {
    return new ServedModel(name, dir, weights, read(dir, weights));
  }

  private static Version read(Path dir, WeightPrecision weights) throws IOException {
    long t0 = System.nanoTime();
    ModelConfig config = ModelDirectory.load(dir, null).config();
    Classifier classifier = null;
    LanguageModel lm = null;
    Translator translator = null;
    if (CLASSIFICATION.equals(config.task())) {
      classifier = Classifier.load(dir, weights);
      config = classifier.config();
    } else if (LANGUAGE_MODEL.equals(config.task())) {
      lm = LanguageModel.load(dir);
      config = lm.config();
    } else if (Translator.TASK.equals(config.task())) {
      translator = Translator.load(dir);
      config = translator.config();
    } else {
      throw new IOException(dir.resolve(ModelDirectory.CONFIG) + ": task '" + config.task()
          + "' cannot be served (classification, language_model or translation)");
    }
    String sha = Sha256.of(dir.resolve(ModelDirectory.WEIGHTS));
    return new Version(config, classifier, lm, translator, sha, Instant.now(), (System.nanoTime() - t0) / 1e9);
  }

  Version current() {
    return current;
  }

  /**
   * Loads the directory again and serves it from now on. When the directory does not hold a valid
   * model, the old one keeps serving and the reason is kept (and returned).
   *
   * @return null when the new model serves, else the reason it was refused
   */
  synchronized String reload() {
    try {
      Version v = read(dir, weights);
      if (!v.config().task().equals(current.config().task())) {
        throw new IOException(dir + " now holds a " + v.config().task() + " model, not the "
            + current.config().task() + " model being served");
      }
      current = v;
      lastReloadError = null;
      return null;
    } catch (IOException | RuntimeException e) {
      lastReloadError = String.valueOf(e.getMessage());
      LOG.log(System.Logger.Level.WARNING, "model {0}: reload refused, the old model keeps serving: {1}", name,
          lastReloadError);
      return lastReloadError;
    }
  }

  String lastReloadError() {
    return lastReloadError;
  }

  /** The summary of GET /v1/models. */
  Map<String, Object> summary() {
    Version v = current;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("task", v.config().task());
    m.put("sha256", v.sha256());
    return m;
  }

  /** The description of GET /v1/models/{name}. */
  Map<String, Object> describe() {
    Version v = current;
    Map<String, Object> doc = v.config().toJson();
    Map<String, Object> m = summary();
    m.put("directory", dir.toString());
    m.put("loaded_at", v.loadedAt().toString());
    m.put("load_seconds", v.loadSeconds());
    m.put("architecture", doc.get("model"));
    if (v.isClassifier()) {
      m.put("classes", v.classifier().classes());
      m.put("tokenizer", v.classifier().tokenizer());
      m.put("vocabulary", v.classifier().vocabulary().size());
    } else if (v.translator() != null) {
      m.put("tokenizer", v.config().tokenizer());
      m.put("vocabulary", v.translator().sourceVocabulary().size());
      m.put("target_vocabulary", v.translator().targetVocabulary().size());
    } else {
      m.put("tokenizer", v.config().tokenizer());
      m.put("vocabulary", v.languageModel().vocabulary().size());
    }
    m.put("max_length", v.config().maxLength());
    m.put("best", doc.get("best"));
    m.put("provenance", doc.get("provenance"));
    m.put("last_reload_error", lastReloadError);
    return m;
  }
}
