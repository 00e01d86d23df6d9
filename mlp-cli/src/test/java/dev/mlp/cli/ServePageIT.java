package dev.mlp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlp.data.idx.IdxReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page of {@code mlp serve} in a real browser: Debian's headless Chromium, driven through its
 * chromedriver by Selenium, draws MNIST test digits on the canvas with the mouse, stroke by stroke,
 * and reads the class the page shows.
 */
class ServePageIT {
  @TempDir static Path work;
  static ServeIT.Served served;
  static WebDriver browser;
  static byte[] pixels;
  static byte[] labels;

  @BeforeAll
  static void trainServeAndOpenABrowser() throws Exception {
    MlpProcess.Result r =
        MlpProcess.run(
            Map.of(),
            600,
            "train",
            "--config",
            "configs/mnist-relu.yaml",
            "--set",
            "optimizer.lr=0.1",
            "--epochs",
            "3",
            "--out",
            work.resolve("run").toString());
    assertThat(r.exit()).as(r.err()).isZero();
    served =
        ServeIT.serveIn(
            work, "--checkpoint", work.resolve("run/checkpoints/last.safetensors").toString());
    pixels = IdxReader.read(MlpProcess.mnistFile("t10k-images-idx3-ubyte")).data();
    labels = IdxReader.read(MlpProcess.mnistFile("t10k-labels-idx1-ubyte")).data();
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
        "--window-size=900,720",
        "--user-data-dir=" + Files.createDirectories(work.resolve("chromium-profile")));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  static void close() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (served != null) {
      assertThat(served.terminate()).isZero();
    }
  }

  /**
   * Strokes that redraw MNIST test image {@code index} on the 280×280 canvas: every second row's
   * runs of ink, each a horizontal stroke as wide as the page's pen (20 px, two rows of the image).
   */
  static List<int[]> strokes(int index) {
    List<int[]> strokes = new ArrayList<>();
    for (int y = 0; y < 28; y += 2) {
      int start = -1;
      for (int x = 0; x <= 28; x++) {
        boolean ink =
            x < 28
                && Math.max(
                        pixels[index * 784 + y * 28 + x] & 0xFF,
                        y + 1 < 28 ? pixels[index * 784 + (y + 1) * 28 + x] & 0xFF : 0)
                    > 100;
        if (ink && start < 0) {
          start = x;
        } else if (!ink && start >= 0) {
          strokes.add(new int[] {start * 10 + 5, y * 10 + 10, (x - 1) * 10 + 5});
          start = -1;
        }
      }
    }
    return strokes;
  }

  @Test
  void digitsDrawnWithTheMouseAreReadByThePage() throws Exception {
    browser.get("http://127.0.0.1:" + served.port() + "/");
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
    wait.until(d -> d.findElement(By.id("name")).getText().equals("mnist-relu"));
    WebElement canvas = browser.findElement(By.id("canvas"));
    assertThat(canvas.isDisplayed()).isTrue();
    for (int index : new int[] {0, 1, 2, 3, 4}) {
      browser.findElement(By.id("clear")).click();
      List<int[]> strokes = strokes(index);
      Actions mouse = new Actions(browser);
      for (int[] s : strokes) {
        // offsets from the canvas's centre (Selenium's origin for an element)
        mouse
            .moveToElement(canvas, s[0] - 140, s[1] - 140)
            .clickAndHold()
            .moveToElement(canvas, s[2] - 140 + 1, s[1] - 140)
            .release();
      }
      mouse.perform();
      WebElement prediction = browser.findElement(By.id("prediction"));
      String count = String.valueOf(strokes.size());
      wait.until(d -> count.equals(prediction.getAttribute("data-strokes")));
      assertThat(prediction.getText())
          .as("test image %d (%d strokes)", index, strokes.size())
          .isEqualTo(String.valueOf(labels[index]));
      List<WebElement> bars = browser.findElements(By.cssSelector("#bars .bar"));
      assertThat(bars).hasSize(10);
      assertThat(browser.findElement(By.cssSelector("#bars .bar.best")).getAttribute("data-label"))
          .isEqualTo(prediction.getText());
    }
    Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
    Path kept = Path.of("target", "serve-page.png");
    Files.copy(shot, kept, StandardCopyOption.REPLACE_EXISTING);
    assertThat(Files.size(kept)).isPositive();
  }
}
