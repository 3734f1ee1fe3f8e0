using FluentValidation;
using FluentValidation.Internal;

namespace Merit.Localization;

/// <summary>
/// Validation messages in the request's language. A validator's own message (<c>WithMessage</c>) is written in
/// English; its template is looked up in <see cref="Sentences"/> before FluentValidation fills its placeholders
/// (<c>{PropertyName}</c>…). FluentValidation's built-in messages come from its own Indonesian translation, chosen
/// by the UI culture the request localization set.
/// </summary>
public sealed class ValidationMessages : MessageFormatter
{
    public static void Install() => ValidatorOptions.Global.MessageFormatterFactory = () => new ValidationMessages();

    public override string BuildMessage(string messageTemplate) =>
        base.BuildMessage(Texts.Current.Translation(messageTemplate) ?? messageTemplate);
}
