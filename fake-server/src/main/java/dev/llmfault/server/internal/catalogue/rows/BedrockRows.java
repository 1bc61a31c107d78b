package dev.llmfault.server.internal.catalogue.rows;

import dev.llmfault.server.Fault;
import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.catalogue.RowTable;
import dev.llmfault.server.internal.catalogue.RowTable.RowBuilder;

import static dev.llmfault.server.Fault.*;

/**
 * How AWS Bedrock Runtime answers every fault: the BEDROCK rows of the fault catalogue. Every error is
 * {@code {"message":"..."}} with its code in {@code x-amzn-ErrorType} ({@code Code:namespace}, the form the
 * SDK's {@code JsonErrorCodeParser} cuts at the colon).
 *
 * <p>Sources, named on each row: [SDK] the status the AWS SDK for Java v2 bedrockruntime 2.59.1 binds to the
 * error code ({@code DefaultBedrockRuntimeClient}'s exception metadata: ThrottlingException 429,
 * ModelNotReadyException 429, ServiceQuotaExceededException 400, ValidationException 400, AccessDeniedException
 * 403, ResourceNotFoundException 404, ModelTimeoutException 408, ModelErrorException 424,
 * ModelStreamErrorException 424, InternalServerException 500, ServiceUnavailableException 503); [API] the
 * error's description in the Bedrock API Reference (Converse, InvokeModel). Codes that are not in the Bedrock
 * model (the AWS front end's own: MissingAuthenticationTokenException, UnrecognizedClientException,
 * ExpiredTokenException, IncompleteSignatureException, InvalidSignatureException, UnknownOperationException)
 * and the exact texts seen only in users' reports are modelled.
 */
public final class BedrockRows implements ProviderRows {
    private static final String NAMESPACE = ":http://internal.amazon.com/coral/com.amazon.bedrock/";
    private static final String IAM_USER = "User: arn:aws:iam::123456789012:user/llmfault is not authorized to perform: "
            + "bedrock:InvokeModel on resource: arn:aws:bedrock:us-east-1::foundation-model/{model}";

    @Override
    public Provider provider() {
        return Provider.BEDROCK;
    }

    /** A row whose error code travels in {@code x-amzn-ErrorType}. */
    private static RowBuilder aws(RowTable t, Fault f, String variant, int status, String code, String message) {
        return t.variant(f, variant, status, code, null, message).header("x-amzn-ErrorType", code + NAMESPACE);
    }

    @Override
    public void addTo(RowTable t) {
        // cause 2: the AWS front end's SigV4 checks, then IAM
        aws(t, MISSING_TOKEN, "", 403, "MissingAuthenticationTokenException", "Missing Authentication Token").modelled();
        aws(t, INVALID_TOKEN, "", 403, "UnrecognizedClientException",
                "The security token included in the request is invalid.").modelled();
        // [API] Bedrock User Guide, troubleshooting API error codes: IncompleteSignature is a 400
        aws(t, INVALID_TOKEN, "incomplete_signature", 400, "IncompleteSignatureException", "{detail}");
        aws(t, INVALID_TOKEN, "signature_scope", 403, "InvalidSignatureException", "{detail}").modelled();
        // an expiring session token (temporary credentials): the credentials policy's expiring key id
        aws(t, EXPIRED_TOKEN, "", 403, "ExpiredTokenException", "The security token included in the request is expired")
                .modelled();
        // X-Amz-Date more than 5 minutes off: the SDK treats the code as clock skew, corrects its clock and retries
        aws(t, EXPIRED_TOKEN, "signature_expired", 403, "InvalidSignatureException", "{detail}").modelled();
        // [SDK] 403; message modelled on IAM's
        aws(t, INSUFFICIENT_SCOPE, "", 403, "AccessDeniedException",
                IAM_USER + " because no identity-based policy allows the bedrock:InvokeModel action (missing {scope})")
                .modelled();
        // cause 1: [SDK] ValidationException 400; texts modelled on Bedrock's "Malformed input request"
        aws(t, MALFORMED_BODY, "", 400, "ValidationException",
                "Malformed input request: {detail}, please reformat your input and try again.").modelled();
        aws(t, MALFORMED_BODY, "content_type", 400, "ValidationException",
                "Malformed input request: unsupported Content-Type {contentType}, please reformat your input and try again.")
                .modelled();
        aws(t, MALFORMED_BODY, "too_large", 400, "ValidationException", "Input is too long for requested model.")
                .modelled();
        aws(t, MALFORMED_BODY, "invalid_type", 400, "ValidationException",
                "1 validation error detected: Value at '{field}' failed to satisfy constraint: {detail}").modelled();
        // Converse's agent rules (AgentRules); verified: the ValidationException texts quoted in client issues
        // (LangGraph and strands users: "Expected toolResult blocks at messages.0.content for the following Ids: ...")
        aws(t, MALFORMED_BODY, "tool_call_unanswered", 400, "ValidationException",
                "Expected toolResult blocks at {field} for the following Ids: {detail}");
        aws(t, MALFORMED_BODY, "tool_result_orphan", 400, "ValidationException",
                "The number of toolResult blocks at {field} exceeds the number of toolUse blocks of previous turn.");
        aws(t, MALFORMED_BODY, "roles_alternate", 400, "ValidationException",
                "A conversation must alternate between user and assistant roles. Make sure the conversation alternates "
                        + "between user and assistant roles and try again.");
        aws(t, MALFORMED_BODY, "first_user", 400, "ValidationException",
                "A conversation must start with a user message. Try again with a conversation that starts with a user "
                        + "message.");
        aws(t, MISSING_FIELD, "", 400, "ValidationException",
                "1 validation error detected: Value null at '{field}' failed to satisfy constraint: Member must not be null")
                .modelled();
        aws(t, MISSING_FIELD, "invoke", 400, "ValidationException",
                "Malformed input request: #: required key [{field}] not found, please reformat your input and try again.")
                .modelled();
        aws(t, WRONG_METHOD, "", 404, "UnknownOperationException", "Unknown operation: {method} {path}").modelled();
        // cause 3: [SDK] 429 / 400; [API] "Your request was denied due to exceeding the account quotas"
        aws(t, RATE_LIMITED, "", 429, "ThrottlingException", "Too many requests, please wait before trying again.")
                .throttle();
        aws(t, RATE_LIMITED, "tokens", 429, "ThrottlingException", "Too many tokens, please wait before trying again.")
                .throttle().modelled();
        aws(t, QUOTA_EXCEEDED, "", 400, "ServiceQuotaExceededException",
                "Your request exceeds the service quota for your account. You can view your quotas at "
                        + "https://console.aws.amazon.com/servicequotas. You can resubmit your request later.");
        // cause 4: IAM conditions (aws:SourceIp, aws:RequestedRegion) deny with [SDK] 403
        aws(t, IP_BLOCKED, "", 403, "AccessDeniedException",
                IAM_USER + " with an explicit deny in an identity-based policy (aws:SourceIp {ip})").modelled();
        aws(t, REGION_BLOCKED, "", 403, "AccessDeniedException",
                IAM_USER + " with an explicit deny in a service control policy (aws:RequestedRegion {region})").modelled();
        // cause 5: no API version header on Bedrock; an unknown operation path, an end-of-life model
        aws(t, OLD_API_VERSION, "", 404, "UnknownOperationException", "Unknown operation: {method} {path}").modelled();
        aws(t, MODEL_NOT_FOUND, "", 400, "ValidationException", "The provided model identifier is invalid.").modelled();
        aws(t, MODEL_NOT_FOUND, "retired_model", 404, "ResourceNotFoundException",
                "This model version has reached the end of its life. Please refer to the AWS documentation for more details.")
                .modelled();
        // transient: [SDK] statuses, [API] descriptions
        aws(t, OVERLOADED, "", 503, "ServiceUnavailableException",
                "The service isn't currently available. Try again later.");
        aws(t, OVERLOADED, "model_not_ready", 429, "ModelNotReadyException",
                "The model specified in the request is not ready to serve inference requests.");
        aws(t, SERVER_ERROR, "", 500, "InternalServerException", "An internal server error occurred. Retry your request.");
        aws(t, SERVER_ERROR, "model_timeout", 408, "ModelTimeoutException",
                "The request took too long to process. Processing time exceeded the model timeout length.");
        // [API] ValidationException; the text quoted in aws-samples/assessment-generator#2 (status 400) and
        // aws-samples/bedrock-chat#95 (inside a stream). Claude models may instead relay Anthropic's "prompt is too
        // long" after "The model returned the following errors: " (aaif-goose/goose#7504).
        aws(t, CONTEXT_LENGTH_EXCEEDED, "", 400, "ValidationException", "Input is too long for requested model.");
        // The model's own failures: [SDK] Converse's StopReason (end_turn, tool_use, max_tokens, stop_sequence,
        // guardrail_intervened, content_filtered); a guardrail is guardrail_intervened, the model's filter
        // content_filtered
        t.row(LENGTH_TRUNCATED, 200, "max_tokens", null, "");
        t.row(CONTENT_FILTERED, 200, "content_filtered", null, "");
        t.row(INVALID_JSON_OUTPUT, 200, "end_turn", null, "");
        t.row(UNKNOWN_TOOL_CALL, 200, "tool_use", null, "");
        t.row(INVALID_TOOL_ARGUMENTS, 200, "tool_use", null, "");
        t.transport();
        // inside a converse-stream: an exception message whose :exception-type is the row's type [SDK]
        t.row(STREAM_ERROR, 200, "modelStreamErrorException", null,
                "A streaming error occurred. Retry your request.");
    }
}
