package org.rnn4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.rnn4j.classify.Classifier;
import org.rnn4j.classify.Explanation;
import org.rnn4j.classify.Prediction;
import org.rnn4j.lm.LanguageModel;
import org.rnn4j.testing.TestModels;

/**
 * The page in a real browser (headless Chromium through chromedriver): a person's steps, typed and
 * clicked, and what the page shows checked against the Java API. Screenshots go to
 * target/screenshots; with -Drnn4j.page.news=DIR -Drnn4j.page.lm=DIR -Drnn4j.page.screenshots=docs
 * the same steps run on real models and write the screenshots that docs/serving.md shows.
 */
class PageBrowserTest {
  private static final String CHROMIUM = System.getenv().getOrDefault("RNN4J_CHROMIUM", "/usr/bin/chromium");
  private static final String DRIVER = System.getenv().getOrDefault("RNN4J_CHROMEDRIVER", "/usr/bin/chromedriver");
  private static final String NEWS_TEXT = System.getProperty("rnn4j.page.text",
      "the striker scored a goal in the cup final");

  @TempDir static Path dir;
  static Path news;
  static Path lm;
  static Path shots;
  static ModelServer server;
  static WebDriver browser;

  @BeforeAll
  static void start() throws IOException {
    if (!Files.isExecutable(Path.of(CHROMIUM)) || !Files.isExecutable(Path.of(DRIVER))) {
      throw new IllegalStateException("the page tests need Chromium at " + CHROMIUM + " and chromedriver at " + DRIVER
          + " (Debian: apt-get install chromium chromium-driver, as .ci/run does; or set RNN4J_CHROMIUM and"
          + " RNN4J_CHROMEDRIVER)");
    }
    String givenNews = System.getProperty("rnn4j.page.news");
    String givenLm = System.getProperty("rnn4j.page.lm");
    news = givenNews != null ? Path.of(givenNews) : dir.resolve("news");
    lm = givenLm != null ? Path.of(givenLm) : dir.resolve("lm");
    if (givenNews == null) {
      TestModels.classifier(news, 1);
    }
    if (givenLm == null) {
      TestModels.languageModel(lm);
    }
    shots = Path.of(System.getProperty("rnn4j.page.screenshots", "target/screenshots"));
    Files.createDirectories(shots);
    server = ModelServer.builder().model("news", news).model("lm", lm).port(0).start();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--window-size=1280,1000");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(Path.of(DRIVER).toFile())
        .usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
  }

  private static WebDriverWait waitUpTo(int seconds) {
    return new WebDriverWait(browser, Duration.ofSeconds(seconds));
  }

  private static void open(String model) {
    browser.get(server.url() + "/?model=" + model);
    waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(
        By.id(model.equals("lm") ? "generator" : "classifier")));
  }

  private static void screenshot(String name) throws IOException {
    byte[] png = ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES);
    Files.write(shots.resolve(name), png);
  }

  @Test
  void classifier_typedTextShowsProbabilitiesImportanceAndHeatMap() throws Exception {
    open("news");
    WebElement text = browser.findElement(By.id("text"));
    text.clear();
    text.sendKeys(NEWS_TEXT);
    browser.findElement(By.id("explain")).click();
    waitUpTo(20).until(ExpectedConditions.visibilityOfElementLocated(By.id("result")));

    Classifier c = Classifier.load(news);
    Prediction expected = c.predict(NEWS_TEXT);
    List<WebElement> bars = browser.findElements(By.cssSelector("#bars .bar"));
    assertEquals(c.classes().size(), bars.size());
    for (WebElement bar : bars) {
      String cls = bar.getAttribute("data-class");
      assertEquals(expected.probability(cls), Float.parseFloat(bar.getAttribute("data-probability")), 1e-6, cls);
    }
    assertEquals(expected.label(), browser.findElement(By.id("predicted")).getText());

    Explanation e = c.explain(NEWS_TEXT);
    List<WebElement> tokens = browser.findElements(By.cssSelector("#tokens .token"));
    assertEquals(e.tokens().size(), tokens.size());
    for (int i = 0; i < tokens.size(); i++) {
      assertEquals(e.tokens().get(i), tokens.get(i).getText());
      assertEquals(e.unknown()[i], tokens.get(i).getAttribute("class").contains("unk"), "token " + i);
    }
    List<WebElement> header = browser.findElements(By.cssSelector("#heatmap tr:first-child th"));
    assertEquals(e.tokens().size() + 1, header.size(), "one column per token, after the unit column");
    int hidden = e.steps().get(0).hiddenSize();
    assertEquals(hidden + 1, browser.findElements(By.cssSelector("#heatmap tr")).size(), "one row per unit");
    screenshot("serve-page-classifier.png");

    // Another signal of the heat map, chosen with the keyboard: the first gate.
    WebElement signal = browser.findElement(By.id("signal"));
    signal.sendKeys(Keys.ARROW_DOWN);
    assertEquals(e.gateNames().get(0), signal.getAttribute("value"));
    assertEquals(e.tokens().size() + 1, browser.findElements(By.cssSelector("#heatmap tr:first-child th")).size());
  }

  @Test
  void classifier_ctrlEnterExplainsFromTheKeyboard() {
    open("news");
    WebElement text = browser.findElement(By.id("text"));
    text.clear();
    text.sendKeys("bank shares and profit rise", Keys.chord(Keys.CONTROL, Keys.ENTER));
    waitUpTo(20).until(ExpectedConditions.textToBePresentInElementLocated(By.id("tokens"), "profit"));
    assertEquals(5, browser.findElements(By.cssSelector("#tokens .token")).size());
  }

  @Test
  void classifier_emptyTextShowsTheServersError() {
    open("news");
    browser.findElement(By.id("text")).clear();
    browser.findElement(By.id("explain")).click();
    waitUpTo(10).until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "empty"));
    assertEquals("\"text\": the text is empty (it has no tokens)", browser.findElement(By.id("status")).getText());
  }

  @Test
  void languageModel_streamsWhatGenerateSamples() throws Exception {
    open("lm");
    WebElement prime = browser.findElement(By.id("prime"));
    prime.clear();
    prime.sendKeys("to be");
    WebElement temperature = browser.findElement(By.id("temperature"));
    temperature.sendKeys(Keys.ARROW_LEFT, Keys.ARROW_LEFT, Keys.ARROW_LEFT, Keys.ARROW_LEFT); // 0.8 → 0.6
    assertEquals("0.6", browser.findElement(By.id("temperature-out")).getText());
    WebElement length = browser.findElement(By.id("length"));
    length.clear();
    length.sendKeys("120");
    browser.findElement(By.id("seed")).sendKeys("42");
    browser.findElement(By.id("generate")).click();
    waitUpTo(20).until(ExpectedConditions.attributeToBe(By.id("generated"), "data-done", "true"));

    LanguageModel m = LanguageModel.load(lm);
    String expected = "to be" + m.generate("to be", 120, m.sampler(0.6, 0, 1.0, 42), s -> {});
    // textContent, not getText(): the generated text's own spaces and line breaks are the result.
    String shown = browser.findElement(By.id("generated")).getAttribute("textContent");
    assertEquals(expected, shown);
    assertTrue(browser.findElement(By.id("status")).getText().contains("seed 42"));
    screenshot("serve-page-generate.png");
  }
}
