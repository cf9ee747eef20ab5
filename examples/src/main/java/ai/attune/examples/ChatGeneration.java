package ai.attune.examples;

import ai.attune.models.CausalLM;
import ai.attune.models.generation.GenerationConfig;
import ai.attune.models.generation.GenerationResult;
import ai.attune.models.generation.Generator;
import ai.attune.models.qwen2vl.ProcessedImage;
import ai.attune.models.qwen2vl.Qwen25VlForConditionalGeneration;
import ai.attune.models.qwen2vl.Qwen2VlImageProcessor;
import ai.attune.models.qwen2vl.chat.ChatMessage;
import ai.attune.models.qwen2vl.chat.ChatTemplate;
import ai.attune.models.qwen2vl.chat.ContentPart;
import ai.attune.models.qwen2vl.chat.ParsedAssistantTurn;
import ai.attune.models.qwen2vl.chat.RenderedPrompt;
import ai.attune.models.qwen2vl.chat.ToolCallParser;
import ai.attune.models.text.TextTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One chat turn with a vision-language model from the command line: the user message (images first,
 * then the text) rendered with the Qwen2.5 chat template and a generation prompt, the images
 * preprocessed by the checkpoint's image processor, and the assistant's answer printed (with any
 * tool calls it made, parsed). The rendered prompt, with its image pad tokens, is printed only when
 * asked for ({@code --show-prompt}).
 */
final class ChatGeneration {
  private final Path modelDir;
  private final Qwen25VlForConditionalGeneration model;

  ChatGeneration(Path modelDir, Qwen25VlForConditionalGeneration model) {
    this.modelDir = modelDir;
    this.model = model;
  }

  void run(
      String prompt,
      List<Path> imageFiles,
      GenerationConfig config,
      boolean showPrompt,
      NDManager m) {
    Qwen2VlImageProcessor processor = Qwen2VlImageProcessor.load(modelDir);
    List<ContentPart> parts = new ArrayList<>();
    List<ProcessedImage> images = new ArrayList<>();
    for (Path file : imageFiles) {
      ProcessedImage image = processor.process(file);
      images.add(image);
      parts.add(ContentPart.image(image));
    }
    parts.add(ContentPart.text(prompt));
    RenderedPrompt rendered =
        ChatTemplate.render(List.of(ChatMessage.user(parts.toArray(ContentPart[]::new))), true);
    try (TextTokenizer tokenizer = TextTokenizer.load(modelDir)) {
      long[] ids = tokenizer.encode(rendered.text());
      NDArray input = m.create(ids).reshape(1, ids.length);
      CausalLM bound =
          images.isEmpty()
              ? model
              : model.withImages(input, input.onesLike(), pixels(images, m), grids(images));
      GenerationResult r = new Generator(bound).generate(input, input.onesLike(), config);
      String answer = tokenizer.decode(r.newTokensOf(0));
      if (showPrompt) {
        System.out.println("prompt:");
        System.out.println(rendered.text());
      }
      ParsedAssistantTurn turn = ToolCallParser.parse(answer);
      System.out.println("answer: " + answer.strip());
      if (!turn.calls().isEmpty() || !turn.errors().isEmpty()) {
        System.out.println(
            "tool calls: "
                + turn.calls()
                + (turn.errors().isEmpty() ? "" : ", errors: " + turn.errors()));
      }
    }
  }

  private static NDArray pixels(List<ProcessedImage> images, NDManager m) {
    NDArray all = null;
    for (ProcessedImage image : images) {
      NDArray p = image.toNDArray(m);
      all = all == null ? p : all.concat(p, 0);
    }
    return all;
  }

  private static long[][] grids(List<ProcessedImage> images) {
    return images.stream().map(ProcessedImage::gridThw).toArray(long[][]::new);
  }
}
