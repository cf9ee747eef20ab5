/** RoBERTa: configuration, encoder layers and the masked LM. */
package ai.attune.models.roberta;
