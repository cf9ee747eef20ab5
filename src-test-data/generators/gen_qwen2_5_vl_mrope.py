# Reference outputs of qwen2_5_vl-tiny WITH multimodal rotary positions (M-RoPE).
#
# The shared fixture's `logits` and `generate_greedy` were computed by calling the model without
# `mm_token_type_ids`; transformers 5 then cannot build the 3-D positions and falls back to plain
# text positions (0..T-1 on every axis). This script computes what HF gives when the processor's
# `mm_token_type_ids` (1 at image tokens) is passed, as a real prompt from the processor has it.
# Run on a CPU with torch + transformers 5.17:
#   python3 src-test-data/generators/gen_qwen2_5_vl_mrope.py src-test-data/qwen2_5_vl-tiny
import json, os, sys
import torch
import transformers
from safetensors.torch import load_file, save_file
from transformers import Qwen2_5_VLForConditionalGeneration

src = sys.argv[1]
ref = load_file(os.path.join(src, "reference.safetensors"))
model = Qwen2_5_VLForConditionalGeneration.from_pretrained(src, dtype=torch.float32).eval()
IMG, START, END, PAD = 5, 3, 4, 9
out = {}

# 1. the fixture prompt (one image, 3 x 4 merged tokens)
ids, mask = ref["input_ids"], ref["attention_mask"]
pixels, grid = ref["pixel_values"], ref["image_grid_thw"]
types = (ids == IMG).int()
with torch.no_grad():
    logits = model(input_ids=ids, attention_mask=mask, pixel_values=pixels, image_grid_thw=grid,
                   mm_token_type_ids=types).logits
    pos, deltas = model.model.get_rope_index(ids, types, grid, attention_mask=mask)
    gen = model.generate(input_ids=ids, attention_mask=mask, pixel_values=pixels,
                         image_grid_thw=grid, mm_token_type_ids=types, max_new_tokens=6,
                         min_new_tokens=6, do_sample=False)
out.update(mrope_logits=logits, mrope_position_ids=pos, mrope_rope_deltas=deltas,
           mrope_generate_greedy=gen)

# gradient x input w.r.t. the input embeddings (image features scattered in) of
# target = sum_{j=17..20} log p(ids[j] | ids[:j])
with torch.no_grad():
    feats = model.model.get_image_features(pixels, grid).pooler_output
    embeds = model.model.get_input_embeddings()(ids)
    embeds = embeds.masked_scatter((ids == IMG)[..., None].expand_as(embeds), torch.cat(feats))
e = embeds.clone().requires_grad_(True)
lg = model(inputs_embeds=e, attention_mask=mask, position_ids=pos).logits
logp = torch.log_softmax(lg[0, 16:20].float(), -1)
target = logp.gather(1, ids[0, 17:21, None]).sum()
target.backward()
out.update(mrope_attr_target=target.detach().reshape(1),
           mrope_attr_grad_x_input=(e.grad * embeds).sum(-1).detach())

# 2. a left-padded batch of two prompts holding three images
torch.manual_seed(7)
pix_b = torch.randn(16, 1176)  # grid (1, 4, 4): 2 x 2 merged tokens
pix_c = torch.randn(8, 1176)  # grid (1, 2, 4): 1 x 2 merged tokens
row0 = [PAD] * 3 + ids[0].tolist()
row1 = [30, START] + [IMG] * 4 + [END, 31, 32, START] + [IMG] * 2 + [END] + list(range(40, 51))
b_ids = torch.tensor([row0, row1])
b_mask = (b_ids != PAD).long()
b_pix = torch.cat([pixels, pix_b, pix_c])
b_grid = torch.tensor([[1, 6, 8], [1, 4, 4], [1, 2, 4]])
b_types = (b_ids == IMG).int()
with torch.no_grad():
    b_logits = model(input_ids=b_ids, attention_mask=b_mask, pixel_values=b_pix,
                     image_grid_thw=b_grid, mm_token_type_ids=b_types).logits
    b_pos, b_deltas = model.model.get_rope_index(b_ids, b_types, b_grid, attention_mask=b_mask)
    b_gen = model.generate(input_ids=b_ids, attention_mask=b_mask, pixel_values=b_pix,
                           image_grid_thw=b_grid, mm_token_type_ids=b_types, max_new_tokens=4,
                           min_new_tokens=4, do_sample=False)
out.update(batch_input_ids=b_ids, batch_attention_mask=b_mask, batch_pixel_values=b_pix,
           batch_image_grid_thw=b_grid, batch_logits=b_logits, batch_position_ids=b_pos,
           batch_rope_deltas=b_deltas, batch_generate_greedy=b_gen)

save_file({k: v.contiguous() for k, v in out.items()},
          os.path.join(src, "reference_mrope.safetensors"))
with open(os.path.join(src, "reference_mrope.json"), "w") as f:
    json.dump({"model_class": "Qwen2_5_VLForConditionalGeneration",
               "transformers": transformers.__version__, "torch": torch.__version__,
               "note": "fp32 eval; every call passes mm_token_type_ids (1 at <|image_pad|>), so"
                       " HF uses the 3-D M-RoPE positions (reference.safetensors was computed"
                       " without them: plain text positions). mrope_*: the fixture prompt;"
                       " mrope_attr_*: target sum_{j=17..20} log p(ids[j] | ids[:j]) w.r.t."
                       " inputs_embeds with the image features scattered in; batch_*: row 0 the"
                       " fixture prompt left-padded by 3 (pad 9), row 1 two images (grids"
                       " (1,4,4), (1,2,4), seeded random pixel values), greedy 4 new tokens.",
               "generate": gen.tolist(), "batch_generate": b_gen.tolist()}, f, indent=1)
for k, v in out.items():
    print(k, tuple(v.shape))
print("deltas", deltas.tolist(), b_deltas.tolist())
print("generate", gen.tolist())
print("batch generate", b_gen.tolist())
