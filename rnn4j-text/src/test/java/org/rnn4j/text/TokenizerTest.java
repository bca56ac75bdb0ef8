package org.rnn4j.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.io.Json;

/** basic_english against torchtext's own code (tools/golden/make_text_golden.py). */
class TokenizerTest {
  static Map<String, Object> golden() throws Exception {
    try (InputStream in = TokenizerTest.class.getResourceAsStream("/golden/basic_english.json")) {
      return Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void basicEnglish_matchesTorchtextOnTrickyInputs() throws Exception {
    Tokenizer t = Tokenizer.named("basic_english");
    List<?> cases = (List<?>) golden().get("cases");
    assertEquals(15, cases.size());
    for (Object o : cases) {
      Map<?, ?> c = (Map<?, ?>) o;
      assertEquals(c.get("tokens"), t.tokenize((String) c.get("text")), "text: " + c.get("text"));
    }
  }

  @Test
  void basicEnglish_buildsTorchAgnewsVocabularyOnTheLessonSplit() throws Exception {
    Path train = Path.of("..", "..", "shared", "data", "ag_news", "split", "train.csv");
    if (!Files.exists(train)) {
      train = Path.of("..", "shared", "data", "ag_news", "split", "train.csv");
    }
    assumeTrue(Files.exists(train), "../shared/data/ag_news is not beside the checkout");
    Map<?, ?> expected = (Map<?, ?>) golden().get("ag_news_split_train_vocab");
    Tokenizer t = Tokenizer.named("basic_english");
    Vocabulary.Builder b = Vocabulary.builder();
    long tokens = 0;
    for (LabeledText e : DataReader.read(train, DataFormat.AGNEWS, new DataReader.Options()).examples()) {
      List<String> tk = t.tokenize(e.text());
      tokens += tk.size();
      b.add(tk);
    }
    Vocabulary v = b.build(List.of(Vocabulary.UNK, Vocabulary.PAD), 1, 0);
    assertEquals(((Number) expected.get("size")).intValue(), v.size());
    assertEquals(((Number) expected.get("tokens")).longValue(), tokens);
    String joined = String.join("\n", v.tokens());
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(joined.getBytes(StandardCharsets.UTF_8)));
    assertEquals(expected.get("sha256_of_newline_joined"), sha, "vocabulary differs from torch_agnews.py's");
  }

  @Test
  void whitespace_splitsOnPythonWhitespaceOnly() {
    assertEquals(List.of("a,b", "C.d", "e"), Tokenizer.named("whitespace").tokenize(" a,b\u2009C.d\u001fe\u200b"
        .replace("\u200b", "")));
  }

  @Test
  void char_yieldsCodePointsIncludingSpaceAndNewline() {
    assertEquals(List.of("a", " ", "😀", "\n"), Tokenizer.named("char").tokenize("a 😀\n"));
  }

  @Test
  void named_rejectsUnknown() {
    assertEquals("unknown tokenizer 'spacy' (allowed: basic_english, char, whitespace, word, keras_lower_and_strip_punctuation)",
        assertThrows(IllegalArgumentException.class, () -> Tokenizer.named("spacy")).getMessage());
  }
}
